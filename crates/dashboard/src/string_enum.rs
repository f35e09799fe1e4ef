//! `string_enum!`: enums for Grafana's string-valued settings that keep unknown values.
//!
//! Contract: `parse` never fails (unknown strings become `Other(s)`), and
//! `parse(x.as_str()) == x` for every value, so import → export → import is lossless.

/// Declares `enum Name { Variant, ..., Other(String) }` with `parse`, `as_str` and `Default`
/// (the first variant).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know; kept verbatim.
            Other(String),
        }

        impl $name {
            /// Maps Grafana's string to a variant; unknown strings are kept in `Other`.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }

            /// The Grafana spelling of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(text) => text,
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                string_enum!(@first $($variant),+)
            }
        }
    };
    (@first $first:ident $(, $rest:ident)*) => { Self::$first };
}

pub(crate) use string_enum;
