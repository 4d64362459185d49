//! Why a photo was refused, in both languages.

/// Why an uploaded photo could not be used. Every variant has a Vietnamese
/// and an English message ([`MediaError::vi`], [`MediaError::en`]) meant for
/// the person who uploaded the file; `Display` shows the Vietnamese one.
/// The fields carry figures (for a message that names the limit) and, in
/// `detail`, the technical cause for logs — never show `detail` to users.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaError {
    /// Zero bytes.
    Empty,
    /// The file is larger than [`crate::Limits::max_bytes`].
    TooLarge { bytes: usize, max_bytes: usize },
    /// The header announces more pixels than [`crate::Limits::max_pixels`],
    /// or a side longer than [`crate::Limits::max_side`] (a decompression
    /// bomb is refused here, before any pixel is decoded).
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    /// The content is not an image at all (e.g. text renamed `.jpg`).
    NotAnImage,
    /// HEIC/HEIF (iPhone photos): recognised but not decoded.
    Heic,
    /// Another image format (GIF, BMP, TIFF, AVIF, …): not accepted.
    UnsupportedFormat,
    /// A JPEG whose data stops before its end marker.
    Truncated,
    /// The header or the pixel data is damaged.
    Corrupt { detail: String },
    /// Encoding failed or a decoder panicked: our fault, not the file's.
    Internal { detail: String },
}

impl MediaError {
    /// The Vietnamese message and the English one.
    pub fn messages(&self) -> (&'static str, &'static str) {
        match self {
            MediaError::Empty => (
                "Tệp ảnh rỗng, không có nội dung.",
                "The image file is empty.",
            ),
            MediaError::TooLarge { .. } => (
                "Tệp ảnh quá lớn, xin chọn ảnh nhỏ hơn.",
                "The image file is too large; please choose a smaller one.",
            ),
            MediaError::TooManyPixels { .. } => (
                "Ảnh có kích thước (số điểm ảnh) quá lớn, xin thu nhỏ ảnh rồi gửi lại.",
                "The image has too many pixels; please scale it down and upload it again.",
            ),
            MediaError::NotAnImage => (
                "Tệp này không phải là ảnh (chấp nhận JPEG, PNG, WebP).",
                "This file is not an image (JPEG, PNG and WebP are accepted).",
            ),
            MediaError::Heic => (
                "Ảnh HEIC (iPhone) chưa được hỗ trợ; xin chọn định dạng JPEG (\"Tương thích nhất\") hoặc chuyển ảnh sang JPEG rồi gửi lại.",
                "HEIC photos (iPhone) are not supported yet; please choose JPEG (\"Most Compatible\") or convert the photo to JPEG and upload it again.",
            ),
            MediaError::UnsupportedFormat => (
                "Định dạng ảnh không được hỗ trợ (chấp nhận JPEG, PNG, WebP).",
                "This image format is not supported (JPEG, PNG and WebP are accepted).",
            ),
            MediaError::Truncated => (
                "Tệp ảnh bị cắt cụt (tải lên chưa hết?), xin gửi lại.",
                "The image file is cut short (incomplete upload?); please upload it again.",
            ),
            MediaError::Corrupt { .. } => (
                "Tệp ảnh bị hỏng, không đọc được.",
                "The image file is damaged and cannot be read.",
            ),
            MediaError::Internal { .. } => (
                "Lỗi nội bộ khi xử lý ảnh, xin thử lại sau.",
                "Internal error while processing the image; please try again later.",
            ),
        }
    }

    /// The Vietnamese message.
    pub fn vi(&self) -> &'static str {
        self.messages().0
    }

    /// The English message.
    pub fn en(&self) -> &'static str {
        self.messages().1
    }

    /// A stable machine-readable code (for the JSON API and logs).
    pub fn code(&self) -> &'static str {
        match self {
            MediaError::Empty => "empty",
            MediaError::TooLarge { .. } => "too_large",
            MediaError::TooManyPixels { .. } => "too_many_pixels",
            MediaError::NotAnImage => "not_an_image",
            MediaError::Heic => "heic_unsupported",
            MediaError::UnsupportedFormat => "unsupported_format",
            MediaError::Truncated => "truncated",
            MediaError::Corrupt { .. } => "corrupt",
            MediaError::Internal { .. } => "internal",
        }
    }

    pub(crate) fn corrupt(detail: impl std::fmt::Display) -> Self {
        MediaError::Corrupt {
            detail: detail.to_string(),
        }
    }

    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        MediaError::Internal {
            detail: detail.to_string(),
        }
    }
}

impl std::fmt::Display for MediaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.vi())
    }
}

impl std::error::Error for MediaError {}
