//! A thin layer over a plotters drawing area: CSS-pixel coordinates scaled to device pixels
//! (so a canvas sized for `devicePixelRatio` draws crisp), colours from Grafana names, and
//! text anchored by the backend (no font files needed: SVG and canvas lay text out
//! themselves).

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontTransform, IntoFont, RGBAColor, ShapeStyle};

use crate::error::RenderError;
use crate::style::FONT_FAMILY;

/// Where and how big a render is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Surface {
    /// Size in CSS pixels.
    pub width: f64,
    pub height: f64,
    /// Device pixels per CSS pixel (`devicePixelRatio` on a canvas, 1 for SVG).
    pub scale: f64,
    /// Font size factor of the backend: plotters' SVG backend writes `size / 1.24`, so
    /// SVG output passes 1.24 to get the same CSS size as on a canvas (1.0).
    pub font_factor: f64,
}

impl Surface {
    /// A canvas of `width × height` CSS pixels at `scale` device pixels each.
    pub fn canvas(width: f64, height: f64, scale: f64) -> Self {
        Self {
            width,
            height,
            scale: scale.max(1.0),
            font_factor: 1.0,
        }
    }

    /// plotters' SVG backend at 1:1.
    pub fn svg(width: f64, height: f64) -> Self {
        Self {
            width,
            height,
            scale: 1.0,
            font_factor: 1.24,
        }
    }
}

/// Text placement relative to its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    LeftMiddle,
    RightMiddle,
    CenterTop,
    CenterMiddle,
}

/// Draws on a plotters area in CSS pixels.
pub struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    surface: Surface,
}

type Result = std::result::Result<(), RenderError>;

impl<'a, DB: DrawingBackend> Painter<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>, surface: Surface) -> Self {
        Self { area, surface }
    }

    /// Width of the surface in CSS pixels.
    pub fn width(&self) -> f64 {
        self.surface.width
    }

    /// A CSS-pixel length in device pixels.
    pub fn device(&self, v: f64) -> f64 {
        v * self.surface.scale
    }

    fn px(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (
            (x * self.surface.scale).round() as i32,
            (y * self.surface.scale).round() as i32,
        )
    }

    fn stroke(&self, color: RGBAColor, width: f64) -> ShapeStyle {
        color.stroke_width(self.device(width).round().max(1.0) as u32)
    }

    /// A polyline through points given in device pixels (already decimated).
    pub fn device_path(&self, points: Vec<(i32, i32)>, color: RGBAColor, width: f64) -> Result {
        self.area
            .draw(&PathElement::new(points, self.stroke(color, width)))?;
        Ok(())
    }

    /// A dashed polyline at device pixels, `dash` on and `gap` off (CSS px).
    pub fn device_dashed_path(
        &self,
        points: Vec<(i32, i32)>,
        color: RGBAColor,
        width: f64,
        (dash, gap): (f64, f64),
    ) -> Result {
        let on = self.device(dash).round().max(1.0) as u32;
        let off = self.device(gap).round().max(1.0) as u32;
        self.area.draw(&DashedPathElement::new(
            points,
            on,
            off,
            self.stroke(color, width),
        ))?;
        Ok(())
    }

    pub fn line(&self, from: (f64, f64), to: (f64, f64), color: RGBAColor, width: f64) -> Result {
        self.device_path(vec![self.px(from), self.px(to)], color, width)
    }

    pub fn dashed_line(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        color: RGBAColor,
        width: f64,
    ) -> Result {
        let dash = self.device(10.0).round() as i32;
        self.area.draw(&DashedPathElement::new(
            vec![self.px(from), self.px(to)],
            dash,
            dash,
            self.stroke(color, width),
        ))?;
        Ok(())
    }

    /// A filled polygon through points in device pixels.
    pub fn device_polygon(&self, points: Vec<(i32, i32)>, color: RGBAColor) -> Result {
        self.area.draw(&Polygon::new(points, color.filled()))?;
        Ok(())
    }

    /// A filled rectangle between two corners.
    pub fn rect(&self, a: (f64, f64), b: (f64, f64), color: RGBAColor) -> Result {
        self.area
            .draw(&Rectangle::new([self.px(a), self.px(b)], color.filled()))?;
        Ok(())
    }

    /// A filled circle at a device-pixel centre.
    pub fn device_dot(&self, at: (i32, i32), radius: f64, color: RGBAColor) -> Result {
        let r = self.device(radius).round().max(1.0) as i32;
        self.area.draw(&Circle::new(at, r, color.filled()))?;
        Ok(())
    }

    pub fn text(
        &self,
        text: &str,
        at: (f64, f64),
        size_px: f64,
        color: RGBAColor,
        anchor: Anchor,
    ) -> Result {
        let pos = match anchor {
            Anchor::LeftMiddle => Pos::new(HPos::Left, VPos::Center),
            Anchor::RightMiddle => Pos::new(HPos::Right, VPos::Center),
            Anchor::CenterTop => Pos::new(HPos::Center, VPos::Top),
            Anchor::CenterMiddle => Pos::new(HPos::Center, VPos::Center),
        };
        let size = self.device(size_px) * self.surface.font_factor;
        let style = (FONT_FAMILY, size).into_font().color(&color).pos(pos);
        self.area
            .draw(&Text::new(text.to_string(), self.px(at), style))?;
        Ok(())
    }
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    /// `text` centred on `at`, turned a quarter: reading upwards (`up`, a left axis' label)
    /// or downwards (a right axis').
    pub fn text_vertical(
        &self,
        text: &str,
        at: (f64, f64),
        size_px: f64,
        color: RGBAColor,
        up: bool,
    ) -> Result {
        let size = self.device(size_px) * self.surface.font_factor;
        let turn = if up {
            FontTransform::Rotate270
        } else {
            FontTransform::Rotate90
        };
        let style = (FONT_FAMILY, size)
            .into_font()
            .transform(turn)
            .color(&color)
            .pos(Pos::new(HPos::Center, VPos::Center));
        self.area
            .draw(&Text::new(text.to_string(), self.px(at), style))?;
        Ok(())
    }
}

/// Estimated width in CSS pixels of `text` at `size_px` (Grafana's character-class
/// estimate; layout must not depend on a font being installed).
pub fn text_width(text: &str, size_px: f64) -> f64 {
    signalboard_display::stat_layout::approx_width_14px(text, 400) * size_px / 14.0
}
