//! One PDF page as the engine paints it: every glyph with where it stands, and every
//! straight stroke or thin filled bar (a table's ruling lines). Coordinates are points
//! from the page's top-left corner, y growing downwards, as a reader scans a page.

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// A painted glyph: `x` its left edge, `y` its baseline, `w` its advance, `size` the
/// font size it was drawn at.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub size: f64,
}

impl Glyph {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    /// The middle of the glyph's body: a baseline sits below it by about a third of
    /// the size, so this is the point that falls inside the cell the glyph is written in.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y - self.size * 0.35)
    }
}

/// A ruling line: horizontal when `y0 == y1`, vertical when `x0 == x1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

#[derive(Debug, Default)]
pub struct Page {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub height: f64,
}

/// A filled rectangle thinner than this is a ruling line (Word and LibreOffice draw
/// borders both as strokes and as thin bars).
const MAX_BAR: f64 = 2.5;

/// Caps what one page may hold, so a hostile page costs bounded memory and time.
const MAX_GLYPHS: usize = 200_000;
const MAX_RULES: usize = 50_000;

/// Collects one page; pdf-extract calls it as it interprets the page's content.
#[derive(Default)]
pub struct Collector {
    pub page: Page,
    flip: f64,
}

impl Collector {
    fn to_page(&self, ctm: &Transform, x: f64, y: f64) -> (f64, f64) {
        let px = x * ctm.m11 + y * ctm.m21 + ctm.m31;
        let py = x * ctm.m12 + y * ctm.m22 + ctm.m32;
        (px, self.flip - py)
    }

    fn push_rule(&mut self, a: (f64, f64), b: (f64, f64)) {
        if self.page.rules.len() >= MAX_RULES
            || !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite())
        {
            return;
        }
        let (dx, dy) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        if dy <= 0.5 && dx > 0.5 {
            let y = (a.1 + b.1) / 2.0;
            self.page.rules.push(Rule { x0: a.0.min(b.0), y0: y, x1: a.0.max(b.0), y1: y });
        } else if dx <= 0.5 && dy > 0.5 {
            let x = (a.0 + b.0) / 2.0;
            self.page.rules.push(Rule { x0: x, y0: a.1.min(b.1), x1: x, y1: a.1.max(b.1) });
        }
    }

    fn rect_corners(&self, ctm: &Transform, x: f64, y: f64, w: f64, h: f64) -> [(f64, f64); 4] {
        [
            self.to_page(ctm, x, y),
            self.to_page(ctm, x + w, y),
            self.to_page(ctm, x + w, y + h),
            self.to_page(ctm, x, y + h),
        ]
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.flip = media_box.ury;
        self.page.height = media_box.ury - media_box.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.page.glyphs.len() >= MAX_GLYPHS {
            return Ok(());
        }
        // The side of the square with the area the font's em square is drawn at.
        let vx = font_size * trm.m11 + font_size * trm.m21;
        let vy = font_size * trm.m12 + font_size * trm.m22;
        let size = (vx * vy).abs().sqrt();
        // Text drawn turned (a watermark across the page, a stamp) is not a line of the
        // page: its glyphs would fall into table cells one by one.
        if trm.m12.abs() > trm.m11.abs() * 0.05 || trm.m21.abs() > trm.m22.abs() * 0.05 {
            return Ok(());
        }
        let (x, y) = (trm.m31, self.flip - trm.m32);
        let w = width * size;
        if [x, y, w, size].iter().all(|n| n.is_finite()) && !text.trim().is_empty() {
            self.page.glyphs.push(Glyph { text: text.to_string(), x, y, w, size });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn stroke(&mut self, ctm: &Transform, _: &ColorSpace, _: &[f64], path: &Path) -> Result<(), OutputError> {
        let mut at: Option<(f64, f64)> = None;
        let mut start: Option<(f64, f64)> = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    at = Some(self.to_page(ctm, x, y));
                    start = at;
                }
                PathOp::LineTo(x, y) => {
                    let p = self.to_page(ctm, x, y);
                    if let Some(a) = at {
                        self.push_rule(a, p);
                    }
                    at = Some(p);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => at = Some(self.to_page(ctm, x, y)),
                PathOp::Rect(x, y, w, h) => {
                    let c = self.rect_corners(ctm, x, y, w, h);
                    for i in 0..4 {
                        self.push_rule(c[i], c[(i + 1) % 4]);
                    }
                }
                PathOp::Close => {
                    if let (Some(a), Some(s)) = (at, start) {
                        self.push_rule(a, s);
                    }
                    at = start;
                }
            }
        }
        Ok(())
    }
    fn fill(&mut self, ctm: &Transform, _: &ColorSpace, _: &[f64], path: &Path) -> Result<(), OutputError> {
        // A thin filled bar is a ruling line along its long side; Word draws borders so.
        let mut points: Vec<(f64, f64)> = Vec::new();
        for op in &path.ops {
            match *op {
                PathOp::Rect(x, y, w, h) => points.extend(self.rect_corners(ctm, x, y, w, h)),
                PathOp::MoveTo(x, y) | PathOp::LineTo(x, y) => points.push(self.to_page(ctm, x, y)),
                PathOp::CurveTo(..) => return Ok(()),
                PathOp::Close => {}
            }
            if points.len() > 64 {
                return Ok(());
            }
        }
        let (Some(x0), Some(x1)) = (min(points.iter().map(|p| p.0)), max(points.iter().map(|p| p.0))) else {
            return Ok(());
        };
        let (Some(y0), Some(y1)) = (min(points.iter().map(|p| p.1)), max(points.iter().map(|p| p.1))) else {
            return Ok(());
        };
        if y1 - y0 <= MAX_BAR && x1 - x0 > y1 - y0 {
            let y = (y0 + y1) / 2.0;
            self.push_rule((x0, y), (x1, y));
        } else if x1 - x0 <= MAX_BAR && y1 - y0 > x1 - x0 {
            let x = (x0 + x1) / 2.0;
            self.push_rule((x, y0), (x, y1));
        }
        Ok(())
    }
}

fn min(it: impl Iterator<Item = f64>) -> Option<f64> {
    it.fold(None, |m, v| Some(m.map_or(v, |m: f64| m.min(v))))
}

fn max(it: impl Iterator<Item = f64>) -> Option<f64> {
    it.fold(None, |m, v| Some(m.map_or(v, |m: f64| m.max(v))))
}
