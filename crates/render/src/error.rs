//! Render errors: values with a message, never panics.

use std::fmt;

/// Why a panel could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError(pub String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for RenderError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        Self(format!("drawing failed: {e}"))
    }
}
