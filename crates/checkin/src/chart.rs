//! A small horizontal bar chart as SVG, rendered on the server (no JavaScript): survey results,
//! attendance by unit, dashboards. Each bar has its label above it and its value as text beside
//! it, so the chart reads without colour; screen readers get the title and every
//! "label: value" from `<title>`/`<desc>` (`role="img"`). Labels stay on one line (long ones
//! are cut with "…" in the drawing, whole in the description). The SVG scales to its container
//! (`viewBox`, `width="100%"`).

use std::fmt::Write;

use crate::xml_escape;

/// How values are shown and scaled.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The value of a full-width bar, e.g. `Some(5.0)` for averages of 1–5 ratings; `None`
    /// scales to the largest value.
    pub max: Option<f64>,
    /// The decimal separator: `','` in Vietnamese, `'.'` in English.
    pub decimal: char,
    /// Printed after each value, e.g. `" người"` or `"%"`; empty for none.
    pub suffix: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max: None,
            decimal: ',',
            suffix: String::new(),
        }
    }
}

const WIDTH: f64 = 640.0;
const ROW: f64 = 46.0;
const TOP: f64 = 40.0;
const BAR: f64 = 18.0;
const LABEL_CHARS: usize = 80;
const BAR_COLOR: &str = "#9b1c1c";
const INK: &str = "#1a1a1a";

/// The chart with default [`Options`] (scaled to the largest value, decimal comma).
pub fn bars_svg<S: AsRef<str>>(title: &str, bars: &[(S, f64)]) -> String {
    bars_svg_with(title, bars, &Options::default())
}

/// A value as shown: whole numbers without decimals, others with up to two.
pub fn format_value(value: f64, decimal: char) -> String {
    let v = if value.is_finite() { value } else { 0.0 };
    let s = if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').to_string()
    };
    s.replace('.', &decimal.to_string())
}

/// The chart.
pub fn bars_svg_with<S: AsRef<str>>(title: &str, bars: &[(S, f64)], options: &Options) -> String {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let largest = bars.iter().map(|(_, v)| clean(*v)).fold(0.0, f64::max);
    let max = options
        .max
        .map(clean)
        .filter(|m| *m > 0.0)
        .unwrap_or(largest);
    let shown: Vec<String> = bars
        .iter()
        .map(|(_, v)| format!("{}{}", format_value(*v, options.decimal), options.suffix))
        .collect();
    // Room on the right for the longest value text (about 8 px a character at 13 px).
    let value_room = 16.0 + 8.0 * shown.iter().map(|s| s.chars().count()).max().unwrap_or(1) as f64;
    let track = WIDTH - 2.0 - value_room;
    let height = TOP + ROW * bars.len() as f64 + 8.0;
    let id = chart_id(title, bars);

    let mut desc = String::new();
    for ((label, _), text) in bars.iter().zip(&shown) {
        if !desc.is_empty() {
            desc.push_str("; ");
        }
        let _ = write!(desc, "{}: {}", label.as_ref(), text);
    }

    let mut svg = String::new();
    let _ = write!(
        svg,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%""#,
            r#" role="img" aria-labelledby="{id}-t {id}-d" class="chart-bars""#,
            r#" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">"#,
            r#"<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#,
            r#"<text x="0" y="22" font-size="16" font-weight="bold" fill="{ink}">{title}</text>"#
        ),
        w = WIDTH,
        h = height,
        id = id,
        title = xml_escape(title),
        desc = xml_escape(&desc),
        ink = INK,
    );
    for (i, ((label, value), text)) in bars.iter().zip(&shown).enumerate() {
        let y = TOP + ROW * i as f64;
        let width = if max > 0.0 {
            (clean(*value) / max).min(1.0) * track
        } else {
            0.0
        };
        let _ = write!(
            svg,
            concat!(
                r#"<text x="0" y="{ly:.1}" font-size="13" fill="{ink}">{label}</text>"#,
                r##"<rect x="0" y="{by:.1}" width="{track:.1}" height="{bar}" fill="#eee"/>"##,
                r#"<rect x="0" y="{by:.1}" width="{bw:.1}" height="{bar}" fill="{color}"/>"#,
                r#"<text x="{vx:.1}" y="{vy:.1}" font-size="13" fill="{ink}">{text}</text>"#
            ),
            ly = y + 13.0,
            by = y + 19.0,
            bar = BAR,
            track = track,
            bw = width,
            color = BAR_COLOR,
            vx = track + 8.0,
            vy = y + 19.0 + 14.0,
            ink = INK,
            label = xml_escape(&cut(label.as_ref(), LABEL_CHARS)),
            text = xml_escape(text),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s = s.trim_end().to_string();
    s.push('…');
    s
}

/// A stable id from the content, so several charts on one page do not share ids.
fn chart_id<S: AsRef<str>>(title: &str, bars: &[(S, f64)]) -> String {
    // FNV-1a: tiny, stable across builds, enough to keep ids apart.
    let mut h: u64 = 0xcbf29ce484222325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    eat(title.as_bytes());
    for (l, v) in bars {
        eat(l.as_ref().as_bytes());
        eat(&v.to_bits().to_be_bytes());
    }
    format!("chart-{:012x}", h & 0xffff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_text_labelled_scaled_and_accessible() {
        let svg = bars_svg(
            "Mức độ hài lòng <chung>",
            &[
                ("Rất hài lòng", 12.0),
                ("Hài lòng", 6.0),
                ("Chưa hài lòng", 0.0),
            ],
        );
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<script"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"chart-"));
        assert!(svg.contains("Mức độ hài lòng &lt;chung&gt;"));
        assert!(svg.contains("Rất hài lòng: 12; Hài lòng: 6; Chưa hài lòng: 0"));
        assert!(svg.contains(">Hài lòng</text>"));
        // The largest bar fills the track; half the value, half the width.
        let widths: Vec<f64> = svg
            .split("fill=\"#9b1c1c\"")
            .filter_map(|part| {
                let w = part.rsplit("width=\"").next()?;
                w.split('"').next()?.parse().ok()
            })
            .collect();
        assert_eq!(widths.len(), 3);
        assert!((widths[0] - 2.0 * widths[1]).abs() < 0.2, "{widths:?}");
        assert_eq!(widths[2], 0.0);
        // Parses as XML-ish: balanced tags.
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }

    #[test]
    fn options_set_the_scale_decimals_and_suffix() {
        let o = Options {
            max: Some(5.0),
            decimal: '.',
            suffix: " / 5".into(),
        };
        let svg = bars_svg_with("Average", &[("Content".to_string(), 4.5)], &o);
        assert!(svg.contains(">4.5 / 5</text>"));
        assert_eq!(format_value(4.25, ','), "4,25");
        assert_eq!(format_value(3.0, ','), "3");
        assert_eq!(format_value(f64::NAN, ','), "0");
        assert_eq!(format_value(2.0 / 3.0, ','), "0,67");
    }

    #[test]
    fn empty_odd_and_long_input_is_safe() {
        let empty: [(&str, f64); 0] = [];
        assert!(bars_svg("Trống", &empty).ends_with("</svg>"));
        let odd = bars_svg("x", &[("a", f64::NAN), ("b", -3.0), ("c", f64::INFINITY)]);
        assert!(!odd.contains("NaN") && !odd.contains("inf"));
        let long = "Đề xuất thêm thời lượng thảo luận ".repeat(5);
        let svg = bars_svg("x", &[(long.as_str(), 1.0)]);
        assert!(svg.contains('…'));
        assert!(svg.contains(long.trim_end()), "whole in the description");
        assert_ne!(chart_id("a", &[("x", 1.0)]), chart_id("a", &[("x", 2.0)]));
    }
}
