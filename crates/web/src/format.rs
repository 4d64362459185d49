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

/// Shows a number without useless decimals, with a decimal comma.
pub fn fmt_num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    s.replace('.', ",")
}

/// Parses a number typed the Vietnamese way ("8,5") or the English way ("8.5").
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}
