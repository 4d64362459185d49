//! Errors meant to be shown to the person who uploaded the file.

use crate::Format;

/// Why a document could not be read. `Display` is Vietnamese, for end users;
/// the `detail` fields carry the technical cause for logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    #[error("Tệp rỗng, không có nội dung")]
    Empty,
    #[error("Tệp quá lớn (tối đa {max_mb} MB)")]
    TooLarge { max_mb: u64 },
    #[error("Tệp nén bất thường (tỷ lệ giải nén quá cao)")]
    CompressionRatio,
    #[error("Tệp nén bất thường (dữ liệu sau giải nén vượt quá {max_mb} MB)")]
    DecompressedTooLarge { max_mb: u64 },
    #[error("Tệp nén bất thường (quá nhiều thành phần, tối đa {max})")]
    TooManyEntries { max: usize },
    #[error("Cấu trúc tài liệu lồng nhau quá sâu (tối đa {max} cấp)")]
    TooDeep { max: usize },
    #[error("Tài liệu quá dài (tối đa {max} ký tự văn bản)")]
    TooMuchText { max: usize },
    #[error("Tệp PDF có quá nhiều trang (tối đa {max} trang)")]
    TooManyPages { max: usize },
    #[error("Xử lý tệp vượt quá thời gian cho phép ({secs} giây)")]
    Timeout { secs: u64 },
    #[error("Tệp không phải là {expected} hợp lệ (nội dung thực là {found})")]
    ExtensionMismatch { expected: Format, found: Format },
    #[error("Tệp không phải là {expected} hợp lệ")]
    NotExpectedFormat { expected: Format },
    #[error(
        "Tệp Word 97-2003 (.doc) chưa được hỗ trợ; xin lưu lại thành .docx, .odt hoặc .pdf rồi gửi lại"
    )]
    LegacyWord,
    #[error("Định dạng tệp không được hỗ trợ (chấp nhận DOCX, ODT, PDF, RTF, TXT, HTML)")]
    Unsupported,
    #[error("Tệp {format} bị hỏng hoặc không đọc được")]
    Corrupt { format: Format, detail: String },
    #[error("Tệp PDF được bảo vệ bằng mật khẩu, không đọc được nội dung")]
    Encrypted,
    #[error("Tệp không phải là văn bản (chứa dữ liệu nhị phân)")]
    Binary,
    #[error("Không tìm thấy chữ nào trong tệp (có thể là ảnh chụp hoặc bản quét)")]
    NoText,
    #[error("Chỉ đọc được bài viết từ tệp DOCX hoặc ODT (tệp này là {found})")]
    NotRichFormat { found: Format },
    #[error("Tài liệu có quá nhiều hình ảnh (tối đa {max} ảnh)")]
    TooManyPictures { max: usize },
    #[error("Lỗi nội bộ khi đọc tệp {format}")]
    Internal { format: Format },
}

impl ExtractError {
    pub(crate) fn corrupt(format: Format, detail: impl std::fmt::Display) -> Self {
        ExtractError::Corrupt {
            format,
            detail: detail.to_string(),
        }
    }
}
