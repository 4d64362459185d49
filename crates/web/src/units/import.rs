//! Reading a unit list from CSV or XLSX, with a clear message for every bad row. Nothing is
//! written unless every row is good.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use hoithi_storage::repo::units::{self, ImportOutcome, ImportRow};

use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::policy::{Action, Actor, Resource, can};
use crate::state::AppState;

/// One problem in the file, by row number as the spreadsheet shows it (header = row 1).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub message: String,
    pub message_en: String,
}

fn row_err(row: usize, vi: String, en: String) -> RowError {
    RowError {
        row,
        message: vi,
        message_en: en,
    }
}

const MAX_ROWS: usize = 20_000;
const MAX_XLSX_UNPACKED: u64 = 64 * 1024 * 1024;

fn file_error(vi: &'static str, en: &'static str) -> AppError {
    AppError::BadRequest(Msg::new(vi, en))
}

/// Rows of cells from the file, header first.
pub fn read_table(bytes: &[u8], file_name: &str) -> AppResult<Vec<Vec<String>>> {
    if bytes.is_empty() {
        return Err(file_error("Tệp rỗng.", "The file is empty."));
    }
    let lower = file_name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else if lower.ends_with(".xlsx") || lower.ends_with(".xls") {
        Err(file_error(
            "Tệp không phải là Excel (.xlsx) hợp lệ. Nếu là tệp .xls cũ, hãy lưu lại dưới dạng .xlsx.",
            "The file is not a valid Excel (.xlsx) file. Save old .xls files as .xlsx.",
        ))
    } else {
        read_csv(bytes)
    }
}

fn read_xlsx(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    // Refuse decompression bombs before calamine inflates anything.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        file_error(
            "Tệp Excel bị hỏng hoặc không đúng định dạng.",
            "The Excel file is damaged or not an .xlsx file.",
        )
    })?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| file_error("Tệp Excel bị hỏng.", "The Excel file is damaged."))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_XLSX_UNPACKED || archive.len() > 10_000 {
        return Err(file_error(
            "Tệp Excel quá lớn sau khi giải nén.",
            "The Excel file is too large once unpacked.",
        ));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|_| {
        file_error(
            "Tệp Excel bị hỏng hoặc không đúng định dạng.",
            "The Excel file is damaged or not an .xlsx file.",
        )
    })?;
    let first = wb.sheet_names().first().cloned().ok_or_else(|| {
        file_error(
            "Tệp Excel không có trang tính nào.",
            "The Excel file has no sheet.",
        )
    })?;
    let range = wb.worksheet_range(&first).map_err(|_| {
        file_error(
            "Không đọc được trang tính đầu tiên.",
            "The first sheet could not be read.",
        )
    })?;
    Ok(range
        .rows()
        .take(MAX_ROWS + 2)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

fn read_csv(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel on Vietnamese Windows saves "CSV" in code page 1258.
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1258.decode(bytes).0.into_owned(),
    };
    let first_line = text.lines().next().unwrap_or("");
    let delim = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records().take(MAX_ROWS + 2) {
        let rec = rec.map_err(|_| {
            file_error(
                "Tệp CSV không đọc được (sai định dạng).",
                "The CSV file could not be parsed.",
            )
        })?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = hoithi_text::fold::fold(h.trim()).replace([' ', '-'], "_");
        names.iter().any(|n| *n == h)
    })
}

fn parse_kind(input: &str) -> Option<&'static str> {
    let folded = hoithi_text::fold::fold(input.trim()).replace([' ', '-'], "_");
    super::KINDS.iter().find_map(|code| {
        let vi_f = hoithi_text::fold::fold(super::kind_label(code, crate::i18n::Lang::Vi));
        let en = super::kind_label(code, crate::i18n::Lang::En);
        let first_vi = vi_f
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .replace(' ', "_");
        (folded == *code || folded == first_vi || folded == hoithi_text::fold::fold(en))
            .then_some(*code)
    })
}

/// Validates every row against the file and the database; returns rows ready to store or
/// every error found.
pub async fn validate(
    state: &AppState,
    actor: &Actor,
    table: Vec<Vec<String>>,
) -> AppResult<Result<Vec<ImportRow>, Vec<RowError>>> {
    let mut rows = table.into_iter();
    let header = rows.next().unwrap_or_default();
    let (Some(c_code), Some(c_name), Some(c_kind)) = (
        column(&header, &["ma", "code", "ma_don_vi"]),
        column(&header, &["ten", "name", "ten_don_vi"]),
        column(&header, &["loai", "kind", "loai_don_vi"]),
    ) else {
        return Err(file_error(
            "Dòng tiêu đề phải có các cột: ma, ten, loai, ma_cap_tren (và so_nguoi nếu có).",
            "The header row must have the columns code, name, kind, parent_code (and headcount if any).",
        ));
    };
    let c_parent = column(
        &header,
        &["ma_cap_tren", "parent_code", "parent", "cap_tren"],
    );
    let c_head = column(&header, &["so_nguoi", "headcount", "so_luong"]);
    let cell = |r: &Vec<String>, c: Option<usize>| {
        c.and_then(|i| r.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };

    let mut errors = Vec::new();
    let mut out: Vec<ImportRow> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut in_file: HashMap<String, usize> = HashMap::new();
    let mut parsed: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, r) in rows.enumerate() {
        let n = i + 2;
        if n > MAX_ROWS + 1 {
            errors.push(row_err(
                n,
                format!("Tệp có quá {MAX_ROWS} dòng."),
                format!("The file has more than {MAX_ROWS} rows."),
            ));
            break;
        }
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let code = cell(&r, Some(c_code));
        if !code.is_empty() {
            in_file.insert(code.clone(), n);
        }
        parsed.push((n, r));
    }
    for (n, r) in parsed {
        let code = cell(&r, Some(c_code));
        let name = cell(&r, Some(c_name));
        let kind = cell(&r, Some(c_kind));
        let parent = cell(&r, c_parent);
        let head = cell(&r, c_head);
        let mut push = |vi: String, en: String| errors.push(row_err(n, vi, en));
        let code = match crate::validate::unit_code(&code) {
            Ok(c) => c,
            Err(_) => {
                push(
                    format!("Mã đơn vị «{code}» không hợp lệ."),
                    format!("Invalid unit code «{code}»."),
                );
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            push(
                format!("Mã «{code}» bị lặp lại trong tệp."),
                format!("Code «{code}» appears twice in the file."),
            );
            continue;
        }
        let name = match super::service::clean_name(&name) {
            Ok(n) => n,
            Err(_) => {
                push(
                    "Thiếu tên đơn vị hoặc tên quá dài.".into(),
                    "Missing or too long unit name.".into(),
                );
                continue;
            }
        };
        let Some(kind) = parse_kind(&kind) else {
            push(
                format!("Loại đơn vị «{kind}» không hợp lệ."),
                format!("Unknown kind of unit «{kind}»."),
            );
            continue;
        };
        let headcount = match crate::validate::optional_count(&head) {
            Ok(h) => h,
            Err(_) => {
                push(
                    format!("Số người «{head}» không hợp lệ."),
                    format!("Invalid headcount «{head}»."),
                );
                continue;
            }
        };
        let parent_code = (!parent.is_empty()).then_some(parent.clone());
        // Where the row would sit: its parent's path decides whether the actor may write it.
        let scope_path = match &parent_code {
            Some(pc) if in_file.contains_key(pc) => None,
            Some(pc) => match units::by_code(&state.db, pc).await? {
                Some(p) => Some(p.path),
                None => {
                    push(
                        format!(
                            "Không tìm thấy đơn vị cấp trên «{pc}» (trong tệp hoặc trong hệ thống)."
                        ),
                        format!("Parent unit «{pc}» not found in the file or the system."),
                    );
                    continue;
                }
            },
            None => None,
        };
        if let Some(path) = &scope_path
            && !can(actor, Action::CreateUnit, Resource::Unit { path })
        {
            push(
                format!("Bạn không có quyền thêm đơn vị vào «{parent}»."),
                format!("You may not add units under «{parent}»."),
            );
            continue;
        }
        if let Some(existing) = units::by_code(&state.db, &code).await? {
            if !can(
                actor,
                Action::ManageUnit,
                Resource::Unit {
                    path: &existing.path,
                },
            ) {
                push(
                    format!("Bạn không có quyền sửa đơn vị «{code}»."),
                    format!("You may not change unit «{code}»."),
                );
                continue;
            }
        } else if parent_code.is_none() && !can(actor, Action::CreateUnit, Resource::Site) {
            push(
                "Thiếu mã đơn vị cấp trên.".into(),
                "The parent code is missing.".into(),
            );
            continue;
        }
        out.push(ImportRow {
            name_key: hoithi_text::sort::sort_key(&name),
            code,
            name,
            kind: kind.to_string(),
            parent_code,
            headcount,
        });
    }
    if out.is_empty() && errors.is_empty() {
        return Err(file_error(
            "Tệp không có dòng dữ liệu nào.",
            "The file has no data rows.",
        ));
    }
    // Rows whose parent is only in the file must chain up to a unit the actor may manage.
    if !can(actor, Action::CreateUnit, Resource::Site) {
        let by_code: HashMap<&str, &ImportRow> = out.iter().map(|r| (r.code.as_str(), r)).collect();
        for r in &out {
            let mut cur = r;
            let mut hops = 0;
            while let Some(pc) = cur.parent_code.as_deref() {
                match by_code.get(pc) {
                    Some(p) if hops < 100 => {
                        cur = p;
                        hops += 1;
                    }
                    _ => break,
                }
            }
            if cur.parent_code.is_none() {
                errors.push(row_err(
                    in_file.get(&r.code).copied().unwrap_or(0),
                    "Thiếu mã đơn vị cấp trên.".into(),
                    "The parent code is missing.".into(),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(Ok(out))
    } else {
        errors.sort_by_key(|e| e.row);
        Ok(Err(errors))
    }
}

/// Validates and stores: all rows or none.
pub async fn run(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
    file_name: &str,
) -> AppResult<Result<ImportOutcome, Vec<RowError>>> {
    let table = read_table(bytes, file_name)?;
    match validate(state, actor, table).await? {
        Ok(rows) => {
            let n = rows.len();
            let allow_roots = can(actor, Action::CreateUnit, Resource::Site);
            let tx = state.db.write().await?;
            let outcome = units::import(&tx, rows, allow_roots).await.map_err(|e| match e {
                hoithi_storage::StorageError::Invalid(what) if what.starts_with("parent:") => AppError::BadRequest(Msg::owned(
                    format!("Đơn vị «{}» đã có đơn vị cấp trên khác; không thể chuyển bằng cách nhập tệp.", &what[7..]),
                    format!("Unit «{}» already has another parent; importing cannot move it.", &what[7..]),
                )),
                hoithi_storage::StorageError::Invalid(what) if what.starts_with("missing-parent:") => AppError::BadRequest(Msg::owned(
                    format!("Các đơn vị sau tạo thành vòng lặp cấp trên: {}", &what[15..]),
                    format!("These units form a parent cycle: {}", &what[15..]),
                )),
                other => other.into(),
            })?;
            crate::audit::record(
                &tx,
                actor,
                "unit.import",
                "unit",
                None,
                serde_json::json!({"rows": n, "created": outcome.created, "updated": outcome.updated}),
            )
            .await?;
            hoithi_storage::commit(tx).await?;
            Ok(Ok(outcome))
        }
        Err(errors) => Ok(Err(errors)),
    }
}
