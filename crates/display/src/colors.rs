//! Grafana colour names and CSS colour strings resolved to `#RRGGBB`.
//!
//! Contract: [`resolve_color`] resolves like Grafana's `getColorByName` in the dark theme
//! (the default): Grafana's visualization hues (`green` → `#73BF69`, `dark-red` →
//! `#C4162A`, `semi-dark-orange`, `light-blue`, `super-light-purple` …), the special names
//! `transparent`, `text`, `panel-bg`, then `#rgb`/`#rgba`/`#rrggbb`/`#rrggbbaa`,
//! `rgb()`/`rgba()` and CSS named colours. Output is uppercase `#RRGGBB`, or `#RRGGBBAA`
//! when the colour is not opaque (e.g. `transparent` → `#00000000`). An empty or
//! unresolvable name gives Grafana's fallback grey `#808080` ([`FALLBACK_COLOR`]).
//! [`resolve_color_in`] does the same for the light theme.

/// Grafana's `FALLBACK_COLOR`.
pub const FALLBACK_COLOR: &str = "#808080";

/// Which Grafana theme's palette to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Grafana's default dark theme.
    #[default]
    Dark,
    /// Grafana's light theme.
    Light,
}

/// An sRGB colour with alpha in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: f64,
}

impl Rgba {
    /// `#RRGGBB`, or `#RRGGBBAA` when `a < 1`.
    pub fn to_hex(self) -> String {
        if self.a >= 1.0 {
            format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
        } else {
            let alpha = (self.a.clamp(0.0, 1.0) * 255.0).round() as u8;
            format!("#{:02X}{:02X}{:02X}{alpha:02X}", self.r, self.g, self.b)
        }
    }
}

/// Hue shades from lightest to darkest, as Grafana names them.
const SHADE_PREFIXES: [&str; 5] = ["super-light-", "light-", "", "semi-dark-", "dark-"];
const HUES: [&str; 6] = ["red", "orange", "yellow", "green", "blue", "purple"];

/// Dark-theme shades per hue (order of [`HUES`] × [`SHADE_PREFIXES`]).
const DARK_SHADES: [[&str; 5]; 6] = [
    ["#FFA6B0", "#FF7383", "#F2495C", "#E02F44", "#C4162A"],
    ["#FFCB7D", "#FFB357", "#FF9830", "#FF780A", "#FA6400"],
    ["#FFF899", "#FFEE52", "#FADE2A", "#F2CC0C", "#E0B400"],
    ["#C8F2C2", "#96D98D", "#73BF69", "#56A64B", "#37872D"],
    ["#C0D8FF", "#8AB8FF", "#5794F2", "#3274D9", "#1F60C4"],
    ["#DEB6F2", "#CA95E5", "#B877D9", "#A352CC", "#8F3BB8"],
];

/// Light-theme shades per hue.
const LIGHT_SHADES: [[&str; 5]; 6] = [
    ["#FF7383", "#F2495C", "#E02F44", "#C4162A", "#AD0317"],
    ["#FFB357", "#FF9830", "#FF780A", "#FA6400", "#E55400"],
    ["#FFEE52", "#FADE2A", "#F2CC0C", "#E0B400", "#CC9D00"],
    ["#96D98D", "#73BF69", "#56A64B", "#37872D", "#19730E"],
    ["#8AB8FF", "#5794F2", "#3274D9", "#1F60C4", "#1250B0"],
    ["#CA95E5", "#B877D9", "#A352CC", "#8F3BB8", "#7C2EA3"],
];

/// Grafana's classic palette (`palette-classic` colour mode), series colour by index.
pub const CLASSIC_PALETTE: [&str; 64] = [
    "green",
    "yellow",
    "blue",
    "orange",
    "red",
    "purple",
    "dark-green",
    "dark-yellow",
    "dark-blue",
    "dark-orange",
    "dark-red",
    "dark-purple",
    "super-light-green",
    "super-light-yellow",
    "super-light-blue",
    "super-light-orange",
    "super-light-red",
    "super-light-purple",
    "#447EBC",
    "#C15C17",
    "#890F02",
    "#0A437C",
    "#6D1F62",
    "#584477",
    "#B7DBAB",
    "#F4D598",
    "#70DBED",
    "#F9BA8F",
    "#F29191",
    "#82B5D8",
    "#E5A8E2",
    "#AEA2E0",
    "#629E51",
    "#E5AC0E",
    "#64B0C8",
    "#E0752D",
    "#BF1B00",
    "#0A50A1",
    "#962D82",
    "#614D93",
    "#9AC48A",
    "#F2C96D",
    "#65C5DB",
    "#F9934E",
    "#EA6460",
    "#5195CE",
    "#D683CE",
    "#806EB7",
    "#3F6833",
    "#967302",
    "#2F575E",
    "#99440A",
    "#58140C",
    "#052B51",
    "#511749",
    "#3F2B5B",
    "#E0F9D7",
    "#FCEACA",
    "#CFFAFF",
    "#F9E2D2",
    "#FCE2DE",
    "#BADFF4",
    "#F9D9F9",
    "#DEDAF7",
];

/// The `palette-classic` colour of series number `index` (wraps around), as `#RRGGBB`.
pub fn classic_palette_color(index: usize, theme: Theme) -> String {
    let name = CLASSIC_PALETTE
        .get(index % CLASSIC_PALETTE.len())
        .copied()
        .unwrap_or("green");
    resolve_color_in(name, theme)
}

/// Resolves a Grafana colour name or CSS colour in the dark theme; see module docs.
pub fn resolve_color(name: &str) -> String {
    resolve_color_in(name, Theme::Dark)
}

/// Resolves a Grafana colour name or CSS colour in `theme`; see module docs.
pub fn resolve_color_in(name: &str, theme: Theme) -> String {
    parse_color_in(name, theme).map_or_else(|| FALLBACK_COLOR.to_string(), Rgba::to_hex)
}

/// Parses a Grafana colour name or CSS colour; `None` when it is not a colour.
pub fn parse_color_in(name: &str, theme: Theme) -> Option<Rgba> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if let Some(hex) = named_hue(name, theme).or_else(|| special_color(name, theme)) {
        return parse_css_color(hex);
    }
    parse_css_color(name)
}

/// Grafana's theme hue shades by name.
fn named_hue(name: &str, theme: Theme) -> Option<&'static str> {
    let table = match theme {
        Theme::Dark => &DARK_SHADES,
        Theme::Light => &LIGHT_SHADES,
    };
    SHADE_PREFIXES
        .iter()
        .enumerate()
        .find_map(|(shade, prefix)| {
            let hue = name.strip_prefix(prefix)?;
            let hue_index = HUES.iter().position(|h| *h == hue)?;
            table.get(hue_index)?.get(shade).copied()
        })
}

/// Grafana's special colour names.
fn special_color(name: &str, theme: Theme) -> Option<&'static str> {
    match (name, theme) {
        ("transparent", Theme::Dark) => Some("rgba(0,0,0,0)"),
        ("transparent", Theme::Light) => Some("rgba(255,255,255,0)"),
        ("text", Theme::Dark) => Some("rgb(204, 204, 220)"),
        ("text", Theme::Light) => Some("rgb(36, 41, 46)"),
        ("panel-bg", Theme::Dark) => Some("#181b1f"),
        ("panel-bg", Theme::Light) => Some("#ffffff"),
        _ => None,
    }
}

/// Parses `#hex`, `rgb()`/`rgba()` or a CSS colour keyword.
pub fn parse_css_color(text: &str) -> Option<Rgba> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix('#') {
        return parse_hex(hex);
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("rgb") {
        return parse_rgb_function(&lower);
    }
    css_named_color(&lower)
        .and_then(|hex| hex.strip_prefix('#'))
        .and_then(parse_hex)
}

fn parse_hex(hex: &str) -> Option<Rgba> {
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let nibble = |i: usize| -> Option<u8> {
        let c = hex.get(i..i + 1)?;
        let v = u8::from_str_radix(c, 16).ok()?;
        Some(v * 17)
    };
    let byte = |i: usize| -> Option<u8> { u8::from_str_radix(hex.get(i..i + 2)?, 16).ok() };
    match hex.len() {
        3 | 4 => Some(Rgba {
            r: nibble(0)?,
            g: nibble(1)?,
            b: nibble(2)?,
            a: if hex.len() == 4 {
                f64::from(nibble(3)?) / 255.0
            } else {
                1.0
            },
        }),
        6 | 8 => Some(Rgba {
            r: byte(0)?,
            g: byte(2)?,
            b: byte(4)?,
            a: if hex.len() == 8 {
                f64::from(byte(6)?) / 255.0
            } else {
                1.0
            },
        }),
        _ => None,
    }
}

/// `rgb(r, g, b)` / `rgba(r, g, b, a)`, with numbers or percentages, commas or spaces.
fn parse_rgb_function(lower: &str) -> Option<Rgba> {
    let open = lower.find('(')?;
    let inner = lower.get(open + 1..)?.strip_suffix(')')?;
    let parts: Vec<&str> = inner
        .split([',', ' ', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let channel = |p: &str| -> Option<u8> {
        let v = match p.strip_suffix('%') {
            Some(pct) => pct.parse::<f64>().ok()? * 2.55,
            None => p.parse::<f64>().ok()?,
        };
        Some(v.round().clamp(0.0, 255.0) as u8)
    };
    let alpha = |p: &str| -> Option<f64> {
        match p.strip_suffix('%') {
            Some(pct) => Some(pct.parse::<f64>().ok()? / 100.0),
            None => p.parse::<f64>().ok(),
        }
    };
    match parts.as_slice() {
        [r, g, b] => Some(Rgba {
            r: channel(r)?,
            g: channel(g)?,
            b: channel(b)?,
            a: 1.0,
        }),
        [r, g, b, a] => Some(Rgba {
            r: channel(r)?,
            g: channel(g)?,
            b: channel(b)?,
            a: alpha(a)?.clamp(0.0, 1.0),
        }),
        _ => None,
    }
}

/// CSS Color Module named colours (lowercase).
fn css_named_color(name: &str) -> Option<&'static str> {
    CSS_COLORS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, hex)| *hex)
}

const CSS_COLORS: [(&str, &str); 148] = [
    ("aliceblue", "#f0f8ff"),
    ("antiquewhite", "#faebd7"),
    ("aqua", "#00ffff"),
    ("aquamarine", "#7fffd4"),
    ("azure", "#f0ffff"),
    ("beige", "#f5f5dc"),
    ("bisque", "#ffe4c4"),
    ("black", "#000000"),
    ("blanchedalmond", "#ffebcd"),
    ("blue", "#0000ff"),
    ("blueviolet", "#8a2be2"),
    ("brown", "#a52a2a"),
    ("burlywood", "#deb887"),
    ("cadetblue", "#5f9ea0"),
    ("chartreuse", "#7fff00"),
    ("chocolate", "#d2691e"),
    ("coral", "#ff7f50"),
    ("cornflowerblue", "#6495ed"),
    ("cornsilk", "#fff8dc"),
    ("crimson", "#dc143c"),
    ("cyan", "#00ffff"),
    ("darkblue", "#00008b"),
    ("darkcyan", "#008b8b"),
    ("darkgoldenrod", "#b8860b"),
    ("darkgray", "#a9a9a9"),
    ("darkgreen", "#006400"),
    ("darkgrey", "#a9a9a9"),
    ("darkkhaki", "#bdb76b"),
    ("darkmagenta", "#8b008b"),
    ("darkolivegreen", "#556b2f"),
    ("darkorange", "#ff8c00"),
    ("darkorchid", "#9932cc"),
    ("darkred", "#8b0000"),
    ("darksalmon", "#e9967a"),
    ("darkseagreen", "#8fbc8f"),
    ("darkslateblue", "#483d8b"),
    ("darkslategray", "#2f4f4f"),
    ("darkslategrey", "#2f4f4f"),
    ("darkturquoise", "#00ced1"),
    ("darkviolet", "#9400d3"),
    ("deeppink", "#ff1493"),
    ("deepskyblue", "#00bfff"),
    ("dimgray", "#696969"),
    ("dimgrey", "#696969"),
    ("dodgerblue", "#1e90ff"),
    ("firebrick", "#b22222"),
    ("floralwhite", "#fffaf0"),
    ("forestgreen", "#228b22"),
    ("fuchsia", "#ff00ff"),
    ("gainsboro", "#dcdcdc"),
    ("ghostwhite", "#f8f8ff"),
    ("gold", "#ffd700"),
    ("goldenrod", "#daa520"),
    ("gray", "#808080"),
    ("green", "#008000"),
    ("greenyellow", "#adff2f"),
    ("grey", "#808080"),
    ("honeydew", "#f0fff0"),
    ("hotpink", "#ff69b4"),
    ("indianred", "#cd5c5c"),
    ("indigo", "#4b0082"),
    ("ivory", "#fffff0"),
    ("khaki", "#f0e68c"),
    ("lavender", "#e6e6fa"),
    ("lavenderblush", "#fff0f5"),
    ("lawngreen", "#7cfc00"),
    ("lemonchiffon", "#fffacd"),
    ("lightblue", "#add8e6"),
    ("lightcoral", "#f08080"),
    ("lightcyan", "#e0ffff"),
    ("lightgoldenrodyellow", "#fafad2"),
    ("lightgray", "#d3d3d3"),
    ("lightgreen", "#90ee90"),
    ("lightgrey", "#d3d3d3"),
    ("lightpink", "#ffb6c1"),
    ("lightsalmon", "#ffa07a"),
    ("lightseagreen", "#20b2aa"),
    ("lightskyblue", "#87cefa"),
    ("lightslategray", "#778899"),
    ("lightslategrey", "#778899"),
    ("lightsteelblue", "#b0c4de"),
    ("lightyellow", "#ffffe0"),
    ("lime", "#00ff00"),
    ("limegreen", "#32cd32"),
    ("linen", "#faf0e6"),
    ("magenta", "#ff00ff"),
    ("maroon", "#800000"),
    ("mediumaquamarine", "#66cdaa"),
    ("mediumblue", "#0000cd"),
    ("mediumorchid", "#ba55d3"),
    ("mediumpurple", "#9370db"),
    ("mediumseagreen", "#3cb371"),
    ("mediumslateblue", "#7b68ee"),
    ("mediumspringgreen", "#00fa9a"),
    ("mediumturquoise", "#48d1cc"),
    ("mediumvioletred", "#c71585"),
    ("midnightblue", "#191970"),
    ("mintcream", "#f5fffa"),
    ("mistyrose", "#ffe4e1"),
    ("moccasin", "#ffe4b5"),
    ("navajowhite", "#ffdead"),
    ("navy", "#000080"),
    ("oldlace", "#fdf5e6"),
    ("olive", "#808000"),
    ("olivedrab", "#6b8e23"),
    ("orange", "#ffa500"),
    ("orangered", "#ff4500"),
    ("orchid", "#da70d6"),
    ("palegoldenrod", "#eee8aa"),
    ("palegreen", "#98fb98"),
    ("paleturquoise", "#afeeee"),
    ("palevioletred", "#db7093"),
    ("papayawhip", "#ffefd5"),
    ("peachpuff", "#ffdab9"),
    ("peru", "#cd853f"),
    ("pink", "#ffc0cb"),
    ("plum", "#dda0dd"),
    ("powderblue", "#b0e0e6"),
    ("purple", "#800080"),
    ("rebeccapurple", "#663399"),
    ("red", "#ff0000"),
    ("rosybrown", "#bc8f8f"),
    ("royalblue", "#4169e1"),
    ("saddlebrown", "#8b4513"),
    ("salmon", "#fa8072"),
    ("sandybrown", "#f4a460"),
    ("seagreen", "#2e8b57"),
    ("seashell", "#fff5ee"),
    ("sienna", "#a0522d"),
    ("silver", "#c0c0c0"),
    ("skyblue", "#87ceeb"),
    ("slateblue", "#6a5acd"),
    ("slategray", "#708090"),
    ("slategrey", "#708090"),
    ("snow", "#fffafa"),
    ("springgreen", "#00ff7f"),
    ("steelblue", "#4682b4"),
    ("tan", "#d2b48c"),
    ("teal", "#008080"),
    ("thistle", "#d8bfd8"),
    ("tomato", "#ff6347"),
    ("turquoise", "#40e0d0"),
    ("violet", "#ee82ee"),
    ("wheat", "#f5deb3"),
    ("white", "#ffffff"),
    ("whitesmoke", "#f5f5f5"),
    ("yellow", "#ffff00"),
    ("yellowgreen", "#9acd32"),
];

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn grafana_names_resolve_to_the_dark_palette() {
        assert_eq!(resolve_color("green"), "#73BF69");
        assert_eq!(resolve_color("red"), "#F2495C");
        assert_eq!(resolve_color("dark-red"), "#C4162A");
        assert_eq!(resolve_color("semi-dark-orange"), "#FF780A");
        assert_eq!(resolve_color("dark-yellow"), "#E0B400");
        assert_eq!(resolve_color("dark-purple"), "#8F3BB8");
        assert_eq!(resolve_color("super-light-blue"), "#C0D8FF");
        assert_eq!(resolve_color("light-green"), "#96D98D");
        assert_eq!(resolve_color("text"), "#CCCCDC");
        assert_eq!(resolve_color("transparent"), "#00000000");
        assert_eq!(resolve_color_in("green", Theme::Light), "#56A64B");
    }

    #[test]
    fn css_forms_resolve() {
        assert_eq!(resolve_color("#abc"), "#AABBCC");
        assert_eq!(resolve_color("#1f78c1"), "#1F78C1");
        assert_eq!(resolve_color("rgb(50, 172, 45)"), "#32AC2D");
        assert_eq!(resolve_color("rgba(237, 129, 40, 0.89)"), "#ED8128E3");
        assert_eq!(resolve_color("rgba(245, 54, 54, 1)"), "#F53636");
        assert_eq!(resolve_color("Indigo"), "#4B0082");
        assert_eq!(resolve_color(""), FALLBACK_COLOR);
        assert_eq!(resolve_color("no-such-colour"), FALLBACK_COLOR);
        assert_eq!(resolve_color("#12345"), FALLBACK_COLOR);
    }

    #[test]
    fn classic_palette_wraps() {
        assert_eq!(classic_palette_color(0, Theme::Dark), "#73BF69");
        assert_eq!(classic_palette_color(1, Theme::Dark), "#FADE2A");
        assert_eq!(classic_palette_color(18, Theme::Dark), "#447EBC");
        assert_eq!(classic_palette_color(64, Theme::Dark), "#73BF69");
    }
}
