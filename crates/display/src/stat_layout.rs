//! Stat panel text layout: which texts a stat shows, their font sizes and the sparkline
//! area, as Grafana's `BigValueLayout` computes them.
//!
//! Contract of [`stat_layout`]:
//! - text mode: `auto` is `value` for a lone stat and `value_and_name` when the panel
//!   shows several; `name` shows the title in the value's place; `none` shows no text.
//!   The value is centred when there is no title (or `justify_center` is set).
//! - layout: wide (`width / height > 2.5`) or stacked; with a chart when the stat has a
//!   sparkline and the panel is tall enough (wide > 50 px, stacked > 100 px).
//! - font sizes: Grafana's `calculateFontSize` — the largest size at which the text fits
//!   the box, from its width at 14 px (`measure_14px`, weight 500 for values, 400 for
//!   titles) plus 2 px, and the box height over the 1.2 line height; titles at most 30 px
//!   and 70 % of the value size; explicit `title_size` / `value_size` win.
//! - padding 12 px above 100 px height, else 8 px.
//!
//! [`approx_width_14px`] is a character-class estimate for callers without a canvas
//! (native rendering); browsers should pass the canvas' `measureText`.

/// Grafana's stat `textMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextMode {
    #[default]
    Auto,
    Value,
    ValueAndName,
    Name,
    None,
}

impl TextMode {
    /// Parses Grafana's option text (`auto`, `value`, `value_and_name`, `name`, `none`).
    pub fn parse(text: &str) -> Self {
        match text {
            "value" => Self::Value,
            "value_and_name" => Self::ValueAndName,
            "name" => Self::Name,
            "none" => Self::None,
            _ => Self::Auto,
        }
    }
}

/// Which of Grafana's four stat layouts applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutKind {
    WideNoChart,
    WideWithChart,
    StackedWithChart,
    StackedNoChart,
}

/// What [`stat_layout`] needs to know about one stat.
#[derive(Debug, Clone, Default)]
pub struct StatInput<'a> {
    pub width: f64,
    pub height: f64,
    /// The series' display name.
    pub title: Option<&'a str>,
    /// The formatted value (prefix + text + suffix).
    pub value_text: &'a str,
    pub text_mode: TextMode,
    /// How many stats the panel shows.
    pub count: usize,
    /// A sparkline with more than one point is available (`graphMode: area`).
    pub has_sparkline: bool,
    /// `justifyMode: center`.
    pub justify_center: bool,
    /// A percent-change line is shown under the value.
    pub has_percent_change: bool,
    /// Explicit `text.titleSize` / `text.valueSize`.
    pub title_size: Option<f64>,
    pub value_size: Option<f64>,
}

/// Texts, font sizes and chart area of one stat.
#[derive(Debug, Clone, PartialEq)]
pub struct StatLayout {
    pub kind: LayoutKind,
    /// Title shown above/beside the value, if any.
    pub title: Option<String>,
    /// Main text (the value, or the name in `name` mode; empty in `none` mode).
    pub text: String,
    pub title_font_px: f64,
    pub value_font_px: f64,
    /// Sparkline size (0 × 0 without a chart); drawn at the bottom right.
    pub chart_width: f64,
    pub chart_height: f64,
    pub padding: f64,
    pub justify_center: bool,
}

const LINE_HEIGHT: f64 = 1.2;
const MAX_TITLE_SIZE: f64 = 30.0;
const VALUE_WEIGHT: u32 = 500;
const TITLE_WEIGHT: u32 = 400;

/// Grafana's `calculateFontSize`.
pub fn calculate_font_size(
    width_at_14px: f64,
    width: f64,
    height: f64,
    line_height: f64,
    max_size: Option<f64>,
) -> f64 {
    let by_width = width / (width_at_14px + 2.0) * 14.0;
    let by_height = height / line_height;
    let optimal = by_width.min(by_height);
    max_size.map_or(optimal, |m| optimal.min(m))
}

/// Lays out one stat; `measure_14px(text, weight)` is the text's width at 14 px.
pub fn stat_layout(input: &StatInput<'_>, measure_14px: impl Fn(&str, u32) -> f64) -> StatLayout {
    let (title, text, mut title_align, mut value_align) = texts(input);
    let justify_center = input.justify_center || title.as_deref().unwrap_or("").is_empty();
    let padding = if input.height > 100.0 { 12.0 } else { 8.0 };
    let (w, h) = (input.width, input.height);
    let max_w = w - padding * 2.0;
    let max_h = h - padding * 2.0;
    let mut title_font = 0.0;
    let mut value_font = 0.0;
    if let Some(size) = input.title_size {
        title_font = size;
        title_align = None;
    }
    if let Some(size) = input.value_size {
        value_font = size;
        value_align = String::new();
    }
    let fit = |text: &str, weight: u32, bw: f64, bh: f64, max: Option<f64>| {
        calculate_font_size(measure_14px(text, weight), bw, bh, LINE_HEIGHT, max)
    };
    let title_text = title_align.filter(|t| !t.is_empty());
    let has_value = !value_align.is_empty();
    let change = if input.has_percent_change { 0.75 } else { 1.0 };
    let wide = w / h > 2.5;
    let kind = match (wide, input.has_sparkline) {
        (true, true) if h > 50.0 => LayoutKind::WideWithChart,
        (true, _) => LayoutKind::WideNoChart,
        (false, true) if h > 100.0 => LayoutKind::StackedWithChart,
        (false, _) => LayoutKind::StackedNoChart,
    };
    let (mut chart_w, mut chart_h) = (0.0, 0.0);
    match kind {
        LayoutKind::WideNoChart => {
            let share = if title_text.is_some() { 0.3 } else { 1.0 };
            if has_value {
                value_font = fit(
                    &value_align,
                    VALUE_WEIGHT,
                    max_w * share,
                    max_h * change,
                    None,
                );
            }
            if let Some(t) = &title_text {
                let fitted = fit(t, TITLE_WEIGHT, max_w * 0.6, max_h, Some(MAX_TITLE_SIZE));
                title_font = (value_font * 0.7).min(fitted);
            }
        }
        LayoutKind::WideWithChart => {
            (chart_w, chart_h) = (w, h * 0.5);
            if let Some(t) = &title_text {
                title_font = fit(
                    t,
                    TITLE_WEIGHT,
                    max_w * 0.6,
                    max_h * 0.4,
                    Some(MAX_TITLE_SIZE),
                );
            }
            if has_value {
                value_font = fit(&value_align, VALUE_WEIGHT, max_w * 0.4, max_h * 0.5, None);
            }
        }
        LayoutKind::StackedWithChart | LayoutKind::StackedNoChart => {
            let with_chart = kind == LayoutKind::StackedWithChart;
            if with_chart {
                (chart_w, chart_h) = (w, h * 0.25);
            }
            let mut title_h = 0.0;
            if let Some(t) = &title_text {
                title_font = fit(t, TITLE_WEIGHT, max_w, h * 0.15, Some(MAX_TITLE_SIZE));
                title_h = title_font * LINE_HEIGHT;
            }
            if has_value {
                let box_h = if with_chart {
                    max_h - chart_h - title_h
                } else {
                    (max_h - title_h) * change
                };
                value_font = fit(&value_align, VALUE_WEIGHT, max_w, box_h, None);
            }
            if title_text.is_some() {
                title_font = (value_font * 0.7).min(title_font);
            }
            if with_chart {
                chart_h = h - title_font * LINE_HEIGHT - value_font * LINE_HEIGHT;
            }
        }
    }
    StatLayout {
        kind,
        title,
        text,
        title_font_px: title_font,
        value_font_px: value_font,
        chart_width: chart_w,
        chart_height: chart_h,
        padding,
        justify_center,
    }
}

/// Grafana's `getTextValues`: (shown title, shown text, title to size by, value to size by).
fn texts(input: &StatInput<'_>) -> (Option<String>, String, Option<String>, String) {
    let mode = match input.text_mode {
        TextMode::Auto if input.count <= 1 => TextMode::Value,
        TextMode::Auto => TextMode::ValueAndName,
        other => other,
    };
    let title = input.title.map(str::to_string);
    let value = input.value_text.to_string();
    match mode {
        TextMode::Name => {
            let name = title.unwrap_or_default();
            (None, name.clone(), None, name)
        }
        TextMode::Value => (None, value.clone(), None, value),
        TextMode::None => (None, String::new(), None, "1".to_string()),
        TextMode::ValueAndName | TextMode::Auto => (title.clone(), value.clone(), title, value),
    }
}

/// A rough width at 14 px for sans-serif UI fonts (Inter/Roboto), by character class.
pub fn approx_width_14px(text: &str, weight: u32) -> f64 {
    let base: f64 = text
        .chars()
        .map(|c| match c {
            '0'..='9' => 7.9,
            '.' | ',' | ':' | ';' | '!' | '|' | 'i' | 'l' | 'j' | '\'' => 3.6,
            ' ' => 3.9,
            'm' | 'w' | 'M' | 'W' | '%' => 11.5,
            'A'..='Z' => 9.3,
            _ => 7.4,
        })
        .sum();
    if weight >= 500 {
        base * 1.03
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    /// 10 px per character at 14 px, whatever the weight.
    fn ten_px(text: &str, _: u32) -> f64 {
        text.chars().count() as f64 * 10.0
    }

    #[test]
    fn font_size_fits_width_and_height() {
        // 48 px wide text at 14 px, 2 px slack: 100 px fit 28 px; 30 px height → 25 px.
        assert_eq!(calculate_font_size(48.0, 100.0, 1000.0, 1.0, None), 28.0);
        assert_eq!(calculate_font_size(48.0, 100.0, 30.0, 1.2, None), 25.0);
        assert_eq!(
            calculate_font_size(48.0, 100.0, 1000.0, 1.0, Some(20.0)),
            20.0
        );
    }

    #[test]
    fn lone_stat_shows_the_value_centred() {
        let input = StatInput {
            width: 200.0,
            height: 200.0,
            title: Some("up"),
            value_text: "42%",
            count: 1,
            ..StatInput::default()
        };
        let l = stat_layout(&input, ten_px);
        assert_eq!(l.kind, LayoutKind::StackedNoChart);
        assert_eq!((l.title.as_deref(), l.text.as_str()), (None, "42%"));
        assert!(l.justify_center);
        assert_eq!(l.padding, 12.0);
        // Width-bound: 176 px / 32 px × 14.
        assert_eq!(l.value_font_px, 176.0 / 32.0 * 14.0);
    }

    #[test]
    fn two_row_stat_like_grafanas_node_exporter_cores() {
        // Grafana: a 2-row panel is 68 px; minus the 32 px header and 2 px border the
        // unpadded stat body is 34 px; 8 px padding leaves 18 px → a 15 px value.
        let input = StatInput {
            width: 125.0,
            height: 68.0 - 32.0 - 2.0,
            value_text: "2",
            count: 1,
            ..StatInput::default()
        };
        let l = stat_layout(&input, ten_px);
        assert_eq!(l.kind, LayoutKind::WideNoChart);
        assert_eq!(l.padding, 8.0);
        assert!((l.value_font_px - 15.0).abs() < 1e-9, "{}", l.value_font_px);
    }

    #[test]
    fn several_stats_show_names_smaller_than_values() {
        let input = StatInput {
            width: 300.0,
            height: 80.0,
            title: Some("node-1"),
            value_text: "7",
            count: 3,
            has_sparkline: true,
            ..StatInput::default()
        };
        let l = stat_layout(&input, ten_px);
        assert_eq!(l.kind, LayoutKind::WideWithChart);
        assert_eq!(l.title.as_deref(), Some("node-1"));
        assert!(!l.justify_center);
        assert_eq!((l.chart_width, l.chart_height), (300.0, 40.0));
        // Value box: 40 % of 284 px wide, half of 64 px high → height-bound 32/1.2.
        assert_eq!(l.value_font_px, 32.0 / 1.2);
        assert_eq!(
            l.title_font_px,
            calculate_font_size(60.0, 284.0 * 0.6, 64.0 * 0.4, 1.2, Some(30.0))
        );
    }

    #[test]
    fn stacked_chart_takes_the_rest() {
        let input = StatInput {
            width: 200.0,
            height: 300.0,
            title: Some("a"),
            value_text: "1.5 s",
            text_mode: TextMode::ValueAndName,
            count: 1,
            has_sparkline: true,
            ..StatInput::default()
        };
        let l = stat_layout(&input, ten_px);
        assert_eq!(l.kind, LayoutKind::StackedWithChart);
        assert!(l.title_font_px <= l.value_font_px * 0.7 + 1e-9);
        let used = (l.title_font_px + l.value_font_px) * 1.2;
        assert!((l.chart_height - (300.0 - used)).abs() < 1e-9);
    }

    #[test]
    fn name_and_none_modes_and_explicit_sizes() {
        let mut input = StatInput {
            width: 100.0,
            height: 100.0,
            title: Some("cpu"),
            value_text: "3",
            text_mode: TextMode::Name,
            ..StatInput::default()
        };
        let l = stat_layout(&input, ten_px);
        assert_eq!((l.title, l.text.as_str()), (None, "cpu"));
        input.text_mode = TextMode::None;
        assert_eq!(stat_layout(&input, ten_px).text, "");
        input.text_mode = TextMode::ValueAndName;
        input.value_size = Some(40.0);
        input.title_size = Some(12.0);
        let l = stat_layout(&input, ten_px);
        assert_eq!((l.value_font_px, l.title_font_px), (40.0, 12.0));
        assert_eq!(TextMode::parse("value_and_name"), TextMode::ValueAndName);
    }

    #[test]
    fn approximate_widths_grow_with_text() {
        assert!(approx_width_14px("100%", 500) > approx_width_14px("1%", 500));
        assert!(approx_width_14px("", 400) == 0.0);
    }
}
