//! Parsing what people type into the values we store, with messages that say what is wrong.

use crate::error::{AppError, AppResult};

/// A login is an email (lowercased) or a Vietnamese phone number (digits, leading 0).
pub fn login(input: &str) -> Option<String> {
    let s = input.trim();
    if s.contains('@') {
        email(s).ok().flatten()
    } else {
        phone(s).ok().flatten()
    }
}

pub fn email(input: &str) -> AppResult<Option<String>> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let lower = s.to_lowercase();
    let valid = lower.len() <= 254
        && lower.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !lower
                    .chars()
                    .any(|c| c.is_whitespace() || c == '<' || c == '>')
                && lower.matches('@').count() == 1
        });
    if valid {
        Ok(Some(lower))
    } else {
        Err(AppError::bad(
            "Địa chỉ email không hợp lệ.",
            "The email address is not valid.",
        ))
    }
}

/// Accepts "0912 345 678", "091.234.5678", "+84 912345678"; stores "0912345678".
pub fn phone(input: &str) -> AppResult<Option<String>> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut digits: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    if let Some(rest) = digits.strip_prefix("+84") {
        digits = format!("0{rest}");
    } else if digits.starts_with("84") && digits.len() == 11 {
        digits = format!("0{}", &digits[2..]);
    }
    if digits.len() == 10 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(digits))
    } else {
        Err(AppError::bad(
            "Số điện thoại không hợp lệ (cần 10 chữ số, ví dụ 0912345678).",
            "The phone number is not valid (10 digits, e.g. 0912345678).",
        ))
    }
}

/// A required line of text: trimmed, whitespace collapsed, within `max` characters.
pub fn required_text(input: &str, max: usize, vi_field: &str, en_field: &str) -> AppResult<String> {
    let s = clean_line(input);
    if s.is_empty() {
        return Err(AppError::BadRequest(crate::i18n::Msg::owned(
            format!("Vui lòng nhập {vi_field}."),
            format!("Please enter the {en_field}."),
        )));
    }
    if s.chars().count() > max {
        return Err(AppError::BadRequest(crate::i18n::Msg::owned(
            format!("{vi_field} quá dài (tối đa {max} ký tự)."),
            format!("The {en_field} is too long (at most {max} characters)."),
        )));
    }
    Ok(s)
}

/// Collapses runs of whitespace and strips control characters.
pub fn clean_line(input: &str) -> String {
    input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// Unit codes: letters, digits, '-', '_' and '.', at most 50.
pub fn unit_code(input: &str) -> AppResult<String> {
    let s = input.trim();
    let ok = !s.is_empty()
        && s.len() <= 50
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(s.to_string())
    } else {
        Err(AppError::bad(
            "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang, gạch dưới hoặc dấu chấm (tối đa 50 ký tự).",
            "Unit codes use unaccented letters, digits, '-', '_' or '.' (at most 50 characters).",
        ))
    }
}

/// An optional non-negative whole number.
pub fn optional_count(input: &str) -> AppResult<Option<i32>> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| *c != '.' && *c != ',' && *c != ' ')
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if n >= 0 => Ok(Some(n)),
        _ => Err(AppError::bad(
            "Số người phải là số nguyên không âm.",
            "The headcount must be a whole number, zero or more.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails() {
        assert_eq!(
            phone("0912 345 678").unwrap().as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            phone("+84 912.345.678").unwrap().as_deref(),
            Some("0912345678")
        );
        assert!(phone("12345").is_err());
        assert_eq!(email(" A@B.VN ").unwrap().as_deref(), Some("a@b.vn"));
        assert!(email("a@b").is_err());
        assert!(email("a@@b.vn").is_err());
        assert_eq!(login("0912345678").as_deref(), Some("0912345678"));
    }

    #[test]
    fn codes_and_counts() {
        assert!(unit_code("HY-01").is_ok());
        assert!(unit_code("Hàm Yên").is_err());
        assert_eq!(optional_count("1.250").unwrap(), Some(1250));
        assert!(optional_count("-3").is_err());
    }
}
