//! Timestamps are stored as UTC; the web layer shows them in Asia/Ho_Chi_Minh.

pub type Timestamp = chrono::DateTime<chrono::Utc>;

pub fn now() -> Timestamp {
    // Second precision keeps values identical across SQLite (text) and PostgreSQL (timestamptz).
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}
