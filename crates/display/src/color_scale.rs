//! Heatmap colour schemes: every scheme Grafana's heatmap offers, computed like
//! d3-scale-chromatic, to `#RRGGBB`.
//!
//! Contract:
//! - [`scheme_color`] is d3's `interpolate<Scheme>(t)`: ColorBrewer schemes through a
//!   uniform B-spline of their 9 (sequential) or 11 (diverging) colours; Viridis, Magma,
//!   Inferno, Plasma as 256-colour ramps; Warm, Cool, Cubehelix, Rainbow in cubehelix;
//!   Sinebow, Turbo, Cividis by their formulas; channels rounded and clamped. Checked
//!   against d3 itself (`tests/data/d3_schemes.tsv`).
//! - [`palette`] is Grafana's `quantizeScheme`: `steps` colours sampled at
//!   `i / (steps − 1)`, reversed when asked or when Grafana inverts the scheme for the
//!   theme; [`opacity_palette`] is its `opacity` mode.
//! - [`scale_fraction`] maps a value into 0..=1 linearly or with Grafana's exponential
//!   scale (`fraction^exponent`); [`palette_index`] picks the colour for a fraction.
//! - Grafana's default heatmap scheme is `Oranges`, exponential with exponent 0.5, 64 steps.

use crate::colors::{parse_color_in, Theme};

/// When Grafana reverses a scheme's palette (`invert` in its heatmap `colorSchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Invert {
    Always,
    Dark,
    Light,
}

/// How a scheme turns `t` into a colour (d3-scale-chromatic's constructions).
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// ColorBrewer colours through a uniform B-spline (`ramp(scheme)`).
    Brewer(&'static str),
    /// 256 sampled colours, nearest sample (`ramp(colors(...))`).
    Ramp(&'static str),
    /// `interpolateCubehelixLong(cubehelix(h, s, l), cubehelix(h, s, l))`.
    Cubehelix([f64; 3], [f64; 3]),
    Rainbow,
    Sinebow,
    Cividis,
    Turbo,
}

/// Grafana's heatmap schemes (its `colorSchemes` list) with d3's colour data (ISC
/// licence; ColorBrewer and matplotlib colours).
const SCHEMES: [(&str, Kind, Invert); 38] = [
    (
        "BrBG",
        Kind::Brewer("5430058c510abf812ddfc27df6e8c3f5f5f5c7eae580cdc135978f01665e003c30"),
        Invert::Always,
    ),
    (
        "PiYG",
        Kind::Brewer("8e0152c51b7dde77aef1b6dafde0eff7f7f7e6f5d0b8e1867fbc414d9221276419"),
        Invert::Always,
    ),
    (
        "PRGn",
        Kind::Brewer("40004b762a839970abc2a5cfe7d4e8f7f7f7d9f0d3a6dba05aae611b783700441b"),
        Invert::Always,
    ),
    (
        "PuOr",
        Kind::Brewer("2d004b5427888073acb2abd2d8daebf7f7f7fee0b6fdb863e08214b358067f3b08"),
        Invert::Always,
    ),
    (
        "RdBu",
        Kind::Brewer("67001fb2182bd6604df4a582fddbc7f7f7f7d1e5f092c5de4393c32166ac053061"),
        Invert::Always,
    ),
    (
        "RdGy",
        Kind::Brewer("67001fb2182bd6604df4a582fddbc7ffffffe0e0e0bababa8787874d4d4d1a1a1a"),
        Invert::Always,
    ),
    (
        "RdYlBu",
        Kind::Brewer("a50026d73027f46d43fdae61fee090ffffbfe0f3f8abd9e974add14575b4313695"),
        Invert::Always,
    ),
    (
        "RdYlGn",
        Kind::Brewer("a50026d73027f46d43fdae61fee08bffffbfd9ef8ba6d96a66bd631a9850006837"),
        Invert::Always,
    ),
    (
        "Spectral",
        Kind::Brewer("9e0142d53e4ff46d43fdae61fee08bffffbfe6f598abdda466c2a53288bd5e4fa2"),
        Invert::Always,
    ),
    (
        "Blues",
        Kind::Brewer("f7fbffdeebf7c6dbef9ecae16baed64292c62171b508519c08306b"),
        Invert::Dark,
    ),
    (
        "Greens",
        Kind::Brewer("f7fcf5e5f5e0c7e9c0a1d99b74c47641ab5d238b45006d2c00441b"),
        Invert::Dark,
    ),
    (
        "Greys",
        Kind::Brewer("fffffff0f0f0d9d9d9bdbdbd969696737373525252252525000000"),
        Invert::Dark,
    ),
    (
        "Oranges",
        Kind::Brewer("fff5ebfee6cefdd0a2fdae6bfd8d3cf16913d94801a636037f2704"),
        Invert::Dark,
    ),
    (
        "Purples",
        Kind::Brewer("fcfbfdefedf5dadaebbcbddc9e9ac8807dba6a51a354278f3f007d"),
        Invert::Dark,
    ),
    (
        "Reds",
        Kind::Brewer("fff5f0fee0d2fcbba1fc9272fb6a4aef3b2ccb181da50f1567000d"),
        Invert::Dark,
    ),
    ("Turbo", Kind::Turbo, Invert::Light),
    ("Cividis", Kind::Cividis, Invert::Light),
    ("Viridis", Kind::Ramp(VIRIDIS), Invert::Light),
    ("Magma", Kind::Ramp(MAGMA), Invert::Light),
    ("Inferno", Kind::Ramp(INFERNO), Invert::Light),
    ("Plasma", Kind::Ramp(PLASMA), Invert::Light),
    (
        "Warm",
        Kind::Cubehelix([-100.0, 0.75, 0.35], [80.0, 1.5, 0.8]),
        Invert::Light,
    ),
    (
        "Cool",
        Kind::Cubehelix([260.0, 0.75, 0.35], [80.0, 1.5, 0.8]),
        Invert::Light,
    ),
    (
        "Cubehelix",
        Kind::Cubehelix([300.0, 0.5, 0.0], [-240.0, 0.5, 1.0]),
        Invert::Light,
    ),
    (
        "BuGn",
        Kind::Brewer("f7fcfde5f5f9ccece699d8c966c2a441ae76238b45006d2c00441b"),
        Invert::Dark,
    ),
    (
        "BuPu",
        Kind::Brewer("f7fcfde0ecf4bfd3e69ebcda8c96c68c6bb188419d810f7c4d004b"),
        Invert::Dark,
    ),
    (
        "GnBu",
        Kind::Brewer("f7fcf0e0f3dbccebc5a8ddb57bccc44eb3d32b8cbe0868ac084081"),
        Invert::Dark,
    ),
    (
        "OrRd",
        Kind::Brewer("fff7ecfee8c8fdd49efdbb84fc8d59ef6548d7301fb300007f0000"),
        Invert::Dark,
    ),
    (
        "PuBuGn",
        Kind::Brewer("fff7fbece2f0d0d1e6a6bddb67a9cf3690c002818a016c59014636"),
        Invert::Dark,
    ),
    (
        "PuBu",
        Kind::Brewer("fff7fbece7f2d0d1e6a6bddb74a9cf3690c00570b0045a8d023858"),
        Invert::Dark,
    ),
    (
        "PuRd",
        Kind::Brewer("f7f4f9e7e1efd4b9dac994c7df65b0e7298ace125698004367001f"),
        Invert::Dark,
    ),
    (
        "RdPu",
        Kind::Brewer("fff7f3fde0ddfcc5c0fa9fb5f768a1dd3497ae017e7a017749006a"),
        Invert::Dark,
    ),
    (
        "YlGnBu",
        Kind::Brewer("ffffd9edf8b1c7e9b47fcdbb41b6c41d91c0225ea8253494081d58"),
        Invert::Dark,
    ),
    (
        "YlGn",
        Kind::Brewer("ffffe5f7fcb9d9f0a3addd8e78c67941ab5d238443006837004529"),
        Invert::Dark,
    ),
    (
        "YlOrBr",
        Kind::Brewer("ffffe5fff7bcfee391fec44ffe9929ec7014cc4c02993404662506"),
        Invert::Dark,
    ),
    (
        "YlOrRd",
        Kind::Brewer("ffffccffeda0fed976feb24cfd8d3cfc4e2ae31a1cbd0026800026"),
        Invert::Dark,
    ),
    ("Rainbow", Kind::Rainbow, Invert::Always),
    ("Sinebow", Kind::Sinebow, Invert::Always),
];

/// The default heatmap scheme.
pub const DEFAULT_SCHEME: &str = "Oranges";
/// What Grafana falls back to for an unknown scheme name.
const FALLBACK_SCHEME: &str = "Spectral";

/// Names of the supported schemes.
pub fn scheme_names() -> impl Iterator<Item = &'static str> {
    SCHEMES.iter().map(|(name, ..)| *name)
}

fn find_scheme(name: &str) -> Option<(Kind, Invert)> {
    let wanted = if name == "CubehelixDefault" {
        "Cubehelix"
    } else {
        name
    };
    SCHEMES
        .iter()
        .find(|(n, ..)| n.eq_ignore_ascii_case(wanted))
        .map(|(_, kind, invert)| (*kind, *invert))
}

/// Hex colour list → RGB triples.
fn hex_colors(hex: &str) -> Vec<[f64; 3]> {
    hex.as_bytes()
        .chunks(6)
        .filter_map(|chunk| {
            let text = std::str::from_utf8(chunk).ok()?;
            let byte = |i: usize| {
                text.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            };
            Some([
                f64::from(byte(0)?),
                f64::from(byte(2)?),
                f64::from(byte(4)?),
            ])
        })
        .collect()
}

/// d3-color's `rgb + ""`: each channel rounded and clamped (NaN → 0), as `#RRGGBB`.
fn rgb_hex(r: f64, g: f64, b: f64) -> String {
    let channel = |v: f64| {
        let rounded = crate::jsnum::js_round(v);
        if rounded.is_nan() {
            0
        } else {
            rounded.clamp(0.0, 255.0) as u8
        }
    };
    format!("#{:02X}{:02X}{:02X}", channel(r), channel(g), channel(b))
}

/// d3-color's cubehelix → RGB.
fn cubehelix_hex(h: f64, s: f64, l: f64) -> String {
    const A: f64 = -0.14861;
    const B: f64 = 1.78277;
    const C: f64 = -0.29227;
    const D: f64 = -0.90649;
    const E: f64 = 1.97294;
    let h = if h.is_nan() {
        0.0
    } else {
        (h + 120.0).to_radians()
    };
    let a = if s.is_nan() { 0.0 } else { s * l * (1.0 - l) };
    let (sin, cos) = h.sin_cos();
    rgb_hex(
        255.0 * (l + a * (A * cos + B * sin)),
        255.0 * (l + a * (C * cos + D * sin)),
        255.0 * (l + a * (E * cos)),
    )
}

/// A polynomial in Horner form as d3 writes Turbo and Cividis channels.
fn poly_channel(c: [f64; 6], t: f64, signs: [f64; 5]) -> f64 {
    // c0 + t*(s0*c1 + t*(s1*c2 + t*(s2*c3 + t*(s3*c4 + t*s4*c5))))
    let inner = signs[3] * c[4] + t * signs[4] * c[5];
    let inner = signs[2] * c[3] + t * inner;
    let inner = signs[1] * c[2] + t * inner;
    let inner = signs[0] * c[1] + t * inner;
    c[0] + t * inner
}

fn kind_color(kind: Kind, t: f64) -> String {
    match kind {
        Kind::Brewer(hex) => color_at(&hex_colors(hex), t),
        Kind::Ramp(hex) => {
            let colors = hex_colors(hex);
            let n = colors.len();
            let i = (t * n as f64).floor();
            let i = if i.is_nan() {
                0
            } else {
                i.clamp(0.0, n.saturating_sub(1) as f64) as usize
            };
            colors
                .get(i)
                .map_or_else(|| rgb_hex(0.0, 0.0, 0.0), |c| rgb_hex(c[0], c[1], c[2]))
        }
        Kind::Cubehelix([h0, s0, l0], [h1, s1, l1]) => {
            let t = t.clamp(0.0, 1.0);
            let mix = |a: f64, b: f64| a + t * (b - a);
            cubehelix_hex(mix(h0, h1), mix(s0, s1), mix(l0, l1))
        }
        Kind::Rainbow => {
            let t = if (0.0..=1.0).contains(&t) {
                t
            } else {
                t - t.floor()
            };
            let ts = (t - 0.5).abs();
            cubehelix_hex(360.0 * t - 100.0, 1.5 - 1.5 * ts, 0.8 - 0.9 * ts)
        }
        Kind::Sinebow => {
            let t = (0.5 - t) * std::f64::consts::PI;
            let sq = |x: f64| 255.0 * x.sin() * x.sin();
            rgb_hex(
                sq(t),
                sq(t + std::f64::consts::PI / 3.0),
                sq(t + std::f64::consts::PI * 2.0 / 3.0),
            )
        }
        Kind::Cividis => {
            let t = t.clamp(0.0, 1.0);
            rgb_hex(
                poly_channel(
                    [-4.54, 35.34, 2381.73, 6402.7, 7024.72, 2710.57],
                    t,
                    [-1.0, 1.0, -1.0, 1.0, -1.0],
                ),
                poly_channel(
                    [32.49, 170.73, 52.82, 131.46, 176.58, 67.37],
                    t,
                    [1.0, 1.0, -1.0, 1.0, -1.0],
                ),
                poly_channel(
                    [81.24, 442.36, 2482.43, 6167.24, 6614.94, 2475.67],
                    t,
                    [1.0, -1.0, 1.0, -1.0, 1.0],
                ),
            )
        }
        Kind::Turbo => {
            let t = t.clamp(0.0, 1.0);
            rgb_hex(
                poly_channel(
                    [34.61, 1172.33, 10793.56, 33300.12, 38394.49, 14825.05],
                    t,
                    [1.0, -1.0, 1.0, -1.0, 1.0],
                ),
                poly_channel(
                    [23.31, 557.33, 1225.33, 3574.96, 1073.77, 707.56],
                    t,
                    [1.0, 1.0, -1.0, 1.0, 1.0],
                ),
                poly_channel(
                    [27.2, 3211.1, 15327.97, 27814.0, 22569.18, 6838.66],
                    t,
                    [1.0, -1.0, 1.0, -1.0, 1.0],
                ),
            )
        }
    }
}

const VIRIDIS: &str = "44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769\
    48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a\
    472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85\
    4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b\
    3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d\
    33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e\
    2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e\
    26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d\
    21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88\
    1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81\
    28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74\
    3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863\
    5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d\
    84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32\
    addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a\
    d8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725";

const MAGMA: &str = "00000401000501010601010802010902020b02020d03030f03031204041405041606051806051a07061c08071e090720\
    0a08220b09240c09260d0a290e0b2b100b2d110c2f120d31130d34140e36150e38160f3b180f3d19103f1a10421c1044\
    1d11471e114920114b21114e22115024125325125527125829115a2a115c2c115f2d11612f1163311165331067341069\
    36106b38106c390f6e3b0f703d0f713f0f72400f74420f75440f764510774710784910784a10794c117a4e117b4f127b\
    51127c52137c54137d56147d57157e59157e5a167e5c167f5d177f5f187f601880621980641a80651a80671b80681c81\
    6a1c816b1d816d1d816e1e81701f81721f817320817521817621817822817922827b23827c23827e2482802582812581\
    8326818426818627818827818928818b29818c29818e2a81902a81912b81932b80942c80962c80982d80992d809b2e7f\
    9c2e7f9e2f7fa02f7fa1307ea3307ea5317ea6317da8327daa337dab337cad347cae347bb0357bb2357bb3367ab5367a\
    b73779b83779ba3878bc3978bd3977bf3a77c03a76c23b75c43c75c53c74c73d73c83e73ca3e72cc3f71cd4071cf4070\
    d0416fd2426fd3436ed5446dd6456cd8456cd9466bdb476adc4869de4968df4a68e04c67e24d66e34e65e44f64e55064\
    e75263e85362e95462ea5661eb5760ec5860ed5a5fee5b5eef5d5ef05f5ef1605df2625df2645cf3655cf4675cf4695c\
    f56b5cf66c5cf66e5cf7705cf7725cf8745cf8765cf9785df9795df97b5dfa7d5efa7f5efa815ffb835ffb8560fb8761\
    fc8961fc8a62fc8c63fc8e64fc9065fd9266fd9467fd9668fd9869fd9a6afd9b6bfe9d6cfe9f6dfea16efea36ffea571\
    fea772fea973feaa74feac76feae77feb078feb27afeb47bfeb67cfeb77efeb97ffebb81febd82febf84fec185fec287\
    fec488fec68afec88cfeca8dfecc8ffecd90fecf92fed194fed395fed597fed799fed89afdda9cfddc9efddea0fde0a1\
    fde2a3fde3a5fde5a7fde7a9fde9aafdebacfcecaefceeb0fcf0b2fcf2b4fcf4b6fcf6b8fcf7b9fcf9bbfcfbbdfcfdbf";

const INFERNO: &str = "00000401000501010601010802010a02020c02020e03021004031204031405041706041907051b08051d09061f0a0722\
    0b07240c08260d08290e092b10092d110a30120a32140b34150b37160b39180c3c190c3e1b0c411c0c431e0c451f0c48\
    210c4a230c4c240c4f260c51280b53290b552b0b572d0b592f0a5b310a5c320a5e340a5f3609613809623909633b0964\
    3d09653e0966400a67420a68440a68450a69470b6a490b6a4a0c6b4c0c6b4d0d6c4f0d6c510e6c520e6d540f6d550f6d\
    57106e59106e5a116e5c126e5d126e5f136e61136e62146e64156e65156e67166e69166e6a176e6c186e6d186e6f196e\
    71196e721a6e741a6e751b6e771c6d781c6d7a1d6d7c1d6d7d1e6d7f1e6c801f6c82206c84206b85216b87216b88226a\
    8a226a8c23698d23698f24699025689225689326679526679727669827669a28659b29649d29649f2a63a02a63a22b62\
    a32c61a52c60a62d60a82e5fa92e5eab2f5ead305dae305cb0315bb1325ab3325ab43359b63458b73557b93556ba3655\
    bc3754bd3853bf3952c03a51c13a50c33b4fc43c4ec63d4dc73e4cc83f4bca404acb4149cc4248ce4347cf4446d04545\
    d24644d34743d44842d54a41d74b3fd84c3ed94d3dda4e3cdb503bdd513ade5238df5337e05536e15635e25734e35933\
    e45a31e55c30e65d2fe75e2ee8602de9612bea632aeb6429eb6628ec6726ed6925ee6a24ef6c23ef6e21f06f20f1711f\
    f1731df2741cf3761bf37819f47918f57b17f57d15f67e14f68013f78212f78410f8850ff8870ef8890cf98b0bf98c0a\
    f98e09fa9008fa9207fa9407fb9606fb9706fb9906fb9b06fb9d07fc9f07fca108fca309fca50afca60cfca80dfcaa0f\
    fcac11fcae12fcb014fcb216fcb418fbb61afbb81dfbba1ffbbc21fbbe23fac026fac228fac42afac62df9c72ff9c932\
    f9cb35f8cd37f8cf3af7d13df7d340f6d543f6d746f5d949f5db4cf4dd4ff4df53f4e156f3e35af3e55df2e661f2e865\
    f2ea69f1ec6df1ed71f1ef75f1f179f2f27df2f482f3f586f3f68af4f88ef5f992f6fa96f8fb9af9fc9dfafda1fcffa4";

const PLASMA: &str = "0d088710078813078916078a19068c1b068d1d068e20068f2206902406912605912805922a05932c05942e05952f0596\
    31059733059735049837049938049a3a049a3c049b3e049c3f049c41049d43039e44039e46039f48039f4903a04b03a1\
    4c02a14e02a25002a25102a35302a35502a45601a45801a45901a55b01a55c01a65e01a66001a66100a76300a76400a7\
    6600a76700a86900a86a00a86c00a86e00a86f00a87100a87201a87401a87501a87701a87801a87a02a87b02a87d03a8\
    7e03a88004a88104a78305a78405a78606a68707a68808a68a09a58b0aa58d0ba58e0ca48f0da4910ea3920fa39410a2\
    9511a19613a19814a099159f9a169f9c179e9d189d9e199da01a9ca11b9ba21d9aa31e9aa51f99a62098a72197a82296\
    aa2395ab2494ac2694ad2793ae2892b02991b12a90b22b8fb32c8eb42e8db52f8cb6308bb7318ab83289ba3388bb3488\
    bc3587bd3786be3885bf3984c03a83c13b82c23c81c33d80c43e7fc5407ec6417dc7427cc8437bc9447aca457acb4679\
    cc4778cc4977cd4a76ce4b75cf4c74d04d73d14e72d24f71d35171d45270d5536fd5546ed6556dd7566cd8576bd9586a\
    da5a6ada5b69db5c68dc5d67dd5e66de5f65de6164df6263e06363e16462e26561e26660e3685fe4695ee56a5de56b5d\
    e66c5ce76e5be76f5ae87059e97158e97257ea7457eb7556eb7655ec7754ed7953ed7a52ee7b51ef7c51ef7e50f07f4f\
    f0804ef1814df1834cf2844bf3854bf3874af48849f48948f58b47f58c46f68d45f68f44f79044f79143f79342f89441\
    f89540f9973ff9983ef99a3efa9b3dfa9c3cfa9e3bfb9f3afba139fba238fca338fca537fca636fca835fca934fdab33\
    fdac33fdae32fdaf31fdb130fdb22ffdb42ffdb52efeb72dfeb82cfeba2cfebb2bfebd2afebe2afec029fdc229fdc328\
    fdc527fdc627fdc827fdca26fdcb26fccd25fcce25fcd025fcd225fbd324fbd524fbd724fad824fada24f9dc24f9dd25\
    f8df25f8e125f7e225f7e425f6e626f6e826f5e926f5eb27f4ed27f3ee27f3f027f2f227f1f426f1f525f0f724f0f921";

/// d3's uniform cubic B-spline basis.
fn basis(t1: f64, v0: f64, v1: f64, v2: f64, v3: f64) -> f64 {
    let t2 = t1 * t1;
    let t3 = t2 * t1;
    ((1.0 - 3.0 * t1 + 3.0 * t2 - t3) * v0
        + (4.0 - 6.0 * t2 + 3.0 * t3) * v1
        + (1.0 + 3.0 * t1 + 3.0 * t2 - 3.0 * t3) * v2
        + t3 * v3)
        / 6.0
}

/// d3's `interpolateBasis(values)(t)`.
fn interpolate_basis(values: &[f64], t: f64) -> f64 {
    let n = values.len().saturating_sub(1);
    if n == 0 {
        return values.first().copied().unwrap_or(0.0);
    }
    let t = t.clamp(0.0, 1.0);
    let i = if t >= 1.0 {
        n - 1
    } else {
        (t * n as f64).floor() as usize
    };
    let at = |k: usize| values.get(k).copied().unwrap_or(0.0);
    let (v1, v2) = (at(i), at(i + 1));
    let v0 = if i > 0 { at(i - 1) } else { 2.0 * v1 - v2 };
    let v3 = if i + 1 < n { at(i + 2) } else { 2.0 * v2 - v1 };
    basis((t - i as f64 / n as f64) * n as f64, v0, v1, v2, v3)
}

/// The colour of `scheme` at `t` (0..=1) as `#RRGGBB` (d3's `interpolate<Scheme>(t)`);
/// `None` for unknown schemes.
pub fn scheme_color(scheme: &str, t: f64) -> Option<String> {
    find_scheme(scheme).map(|(kind, _)| kind_color(kind, t))
}

/// d3's `interpolateRgbBasis(colors)(t)` as `#RRGGBB`.
pub(crate) fn color_at(colors: &[[f64; 3]], t: f64) -> String {
    let channel = |c: usize| -> f64 {
        let values: Vec<f64> = colors
            .iter()
            .map(|rgb| rgb.get(c).copied().unwrap_or(0.0))
            .collect();
        interpolate_basis(&values, t)
    };
    rgb_hex(channel(0), channel(1), channel(2))
}

/// Grafana's heatmap palette (`quantizeScheme`, scheme mode): `steps` colours sampled at
/// `i / (steps − 1)`, reversed when asked or when the scheme is inverted for `theme`
/// (diverging and cyclical schemes always, single-hue ones in the dark theme, the
/// perceptual ones in the light theme). Unknown names use Spectral, as Grafana does.
pub fn palette(scheme: &str, steps: usize, reverse: bool, theme: Theme) -> Vec<String> {
    let (kind, invert) = find_scheme(scheme)
        .or_else(|| find_scheme(FALLBACK_SCHEME))
        .unwrap_or((Kind::Sinebow, Invert::Always));
    let last = steps.saturating_sub(1).max(1) as f64;
    let mut out: Vec<String> = (0..steps)
        .map(|i| kind_color(kind, i as f64 / last))
        .collect();
    let inverted = match invert {
        Invert::Always => true,
        Invert::Dark => theme == Theme::Dark,
        Invert::Light => theme == Theme::Light,
    };
    if reverse || inverted {
        out.reverse();
    }
    out
}

/// Grafana's heatmap palette in `opacity` mode: the fill colour with alpha rising
/// linearly (or as `fraction^exponent`) over `steps` colours, as `#RRGGBBAA`.
pub fn opacity_palette(fill: &str, steps: usize, scale: Scale, theme: Theme) -> Vec<String> {
    let color = parse_color_in(fill, theme).unwrap_or(crate::colors::Rgba {
        r: 128,
        g: 128,
        b: 128,
        a: 1.0,
    });
    let last = steps.saturating_sub(1).max(1) as f64;
    (0..steps)
        .map(|i| {
            let f = i as f64 / last;
            let alpha = match scale {
                Scale::Linear => f,
                Scale::Exponential(e) => f.powf(e),
            };
            let a = crate::jsnum::js_round(alpha.clamp(0.0, 1.0) * 255.0) as u8;
            format!("#{:02X}{:02X}{:02X}{a:02X}", color.r, color.g, color.b)
        })
        .collect()
}

/// How values map onto the colour range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    Linear,
    /// `fraction^exponent` (Grafana's default exponent is 0.5).
    Exponential(f64),
}

/// Position of `value` in `[min, max]` as 0..=1 under `scale` (0 for an empty range).
pub fn scale_fraction(value: f64, min: f64, max: f64, scale: Scale) -> f64 {
    let range = max - min;
    if range.is_nan() || range <= 0.0 || value.is_nan() {
        return 0.0;
    }
    let linear = ((value - min) / range).clamp(0.0, 1.0);
    match scale {
        Scale::Linear => linear,
        Scale::Exponential(exponent) => linear.powf(exponent),
    }
}

/// The palette index for a fraction in 0..=1 with `len` colours.
pub fn palette_index(fraction: f64, len: usize) -> usize {
    let last = len.saturating_sub(1);
    let index = (fraction.clamp(0.0, 1.0) * last as f64).round();
    (index as usize).min(last)
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

    #[test]
    fn endpoints_are_the_scheme_ends() {
        // B-spline ends land on the first and last control colours.
        assert_eq!(scheme_color("Oranges", 0.0).unwrap(), "#FFF5EB");
        assert_eq!(scheme_color("Oranges", 1.0).unwrap(), "#7F2704");
        assert_eq!(scheme_color("Spectral", 0.0).unwrap(), "#9E0142");
        assert_eq!(scheme_color("Spectral", 1.0).unwrap(), "#5E4FA2");
        assert_eq!(scheme_color("Oranges", -3.0), scheme_color("Oranges", 0.0));
        assert!(scheme_color("NoSuchScheme", 0.5).is_none());
    }

    #[test]
    fn midpoint_matches_d3() {
        // At a knot the spline is (prev + 4 × knot + next) / 6 per channel, worked by hand:
        // Oranges knots fdae6b, fd8d3c, f16913 → rgb(251, 140.5 → 141, 61).
        assert_eq!(scheme_color("Oranges", 0.5).unwrap(), "#FB8D3D");
        // Spectral knots fee08b, ffffbf, e6f598 → rgb(250.7, 248.2, 175.8).
        assert_eq!(scheme_color("Spectral", 0.5).unwrap(), "#FBF8B0");
    }

    #[test]
    fn interpolation_is_monotonic_for_sequential_schemes() {
        let lightness = |hex: &str| {
            let v = |i: usize| u32::from_str_radix(&hex[i..i + 2], 16).unwrap();
            v(1) + v(3) + v(5)
        };
        let colors: Vec<String> = (0..=20)
            .map(|i| scheme_color("Blues", f64::from(i) / 20.0).unwrap())
            .collect();
        assert!(colors
            .windows(2)
            .all(|w| lightness(&w[0]) >= lightness(&w[1])));
    }

    #[test]
    fn palettes_and_scales() {
        let light = palette("Oranges", 64, false, Theme::Light);
        let dark = palette("Oranges", 64, false, Theme::Dark);
        assert_eq!(light.len(), 64);
        assert_eq!(light[0], "#FFF5EB");
        assert_eq!(dark[0], "#7F2704");
        let reversed = palette("Oranges", 64, true, Theme::Light);
        // Diverging schemes are always reversed; perceptual ones in the light theme;
        // reverse + invert is still one reversal; unknown names fall back to Spectral.
        assert_eq!(palette("RdYlGn", 3, false, Theme::Dark)[0], "#006837");
        assert_eq!(palette("RdYlGn", 3, true, Theme::Dark)[0], "#006837");
        assert_eq!(palette("Viridis", 2, false, Theme::Dark)[0], "#440154");
        assert_eq!(palette("Viridis", 2, false, Theme::Light)[0], "#FDE725");
        assert_eq!(
            palette("nope", 2, false, Theme::Dark),
            palette("Spectral", 2, false, Theme::Dark)
        );
        let fade = opacity_palette("red", 3, Scale::Linear, Theme::Dark);
        assert_eq!(fade, ["#F2495C00", "#F2495C80", "#F2495CFF"]);
        assert_eq!(reversed[63], light[0]);
        assert_eq!(scale_fraction(25.0, 0.0, 100.0, Scale::Linear), 0.25);
        assert_eq!(
            scale_fraction(25.0, 0.0, 100.0, Scale::Exponential(0.5)),
            0.5
        );
        assert_eq!(scale_fraction(5.0, 5.0, 5.0, Scale::Linear), 0.0);
        assert_eq!(palette_index(0.5, 64), 32);
        assert_eq!(palette_index(2.0, 64), 63);
    }
}
