//! How numbers and dates are shown and typed the Vietnamese way: dd/mm/yyyy in
//! Asia/Ho_Chi_Minh, a dot between thousands and a decimal comma. Pages and exports call these;
//! services return plain values.

use chrono_tz::Asia::Ho_Chi_Minh;

/// dd/mm/yyyy HH:MM in Vietnam's time zone.
pub fn fmt_datetime(ts: &chrono::DateTime<chrono::Utc>) -> String {
    ts.with_timezone(&Ho_Chi_Minh)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

pub fn fmt_date(ts: &chrono::DateTime<chrono::Utc>) -> String {
    ts.with_timezone(&Ho_Chi_Minh)
        .format("%d/%m/%Y")
        .to_string()
}

/// 12345 → "12.345", as Vietnamese readers group digits.
pub fn fmt_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A whole number on a page: shown with a dot between thousands (`{{ n }}` → 1.320).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Num(pub i64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&fmt_number(self.0))
    }
}

macro_rules! num_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Num {
            fn from(n: $t) -> Num {
                Num(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
num_from!(i32, i64, u32, u64, usize);

/// Shows a number without useless decimals, with a decimal comma.
pub fn fmt_num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    s.replace('.', ",")
}

/// A number with a fixed count of decimals, the Vietnamese way: 1234.5 → "1.234,5".
pub fn fmt_decimal(x: f64, places: usize) -> String {
    let s = format!("{:.*}", places, x.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let whole = fmt_number(whole.parse::<i64>().unwrap_or(0));
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole},{frac}")
    }
}

/// Parses a number typed the Vietnamese way ("8,5") or the English way ("8.5").
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// The time left as words, from the pace so far.
pub fn time_left(lang: crate::i18n::Lang, elapsed_secs: i64, done: u64, total: u64) -> String {
    if done == 0 || done >= total {
        return String::new();
    }
    let left = elapsed_secs.max(1) as f64 * (total - done) as f64 / done as f64;
    let minutes = (left / 60.0).ceil() as i64;
    lang.tr().integrity.time_left(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_group_thousands_with_a_dot() {
        assert_eq!(Num::from(1320).to_string(), "1.320");
        assert_eq!(Num::from(541_766u64).to_string(), "541.766");
        assert_eq!(Num::from(12usize).to_string(), "12");
    }

    #[test]
    fn decimals_take_a_comma_and_thousands_a_dot() {
        assert_eq!(fmt_decimal(12.345, 1), "12,3");
        assert_eq!(fmt_decimal(1234.5, 1), "1.234,5");
        assert_eq!(fmt_decimal(0.0, 1), "0,0");
        assert_eq!(fmt_decimal(-0.01, 1), "0,0");
        assert_eq!(fmt_decimal(-2.25, 1), "-2,2");
        assert_eq!(fmt_decimal(100.0, 0), "100");
    }
}
