//! A round's results as an Excel workbook for organizers: the ranking with spreads, every
//! judge's sheet, and the confirmed awards.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hoithi_storage::repo::{assignments, awards, rounds, scores};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::access::ManagedRound;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::judging::results::pages::decided_label;
use crate::judging::results::service as results;
use crate::judging::rounds::service;
use crate::state::AppState;

fn header_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    titles: &[&str],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (c, h) in titles.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
    }
    Ok(())
}

pub async fn xlsx(
    State(state): State<AppState>,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    lang: Lang,
) -> AppResult<Response> {
    let t = lang.tr().judging;
    let r = results::compute(&state, &ctx).await?;
    let ids: Vec<i64> = r.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let genres: HashMap<i64, String> =
        hoithi_storage::repo::contests::genres(&state.db, ctx.contest.id)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
    let mut unit_ids: Vec<i64> = r.entries.iter().map(|e| e.unit_id).collect();
    let confirmed = awards::awards(&state.db, id).await?;
    unit_ids.extend(confirmed.iter().filter_map(|a| a.unit_id));
    let units = crate::judging::assignment::service::unit_names(&state, &unit_ids).await?;
    let pairs = assignments::for_round(&state.db, id).await?;
    let sheets = scores::for_round(&state.db, id).await?;
    let judge_ids: Vec<i64> = pairs.iter().map(|a| a.user_id).collect();
    let judges = rounds::users_of(&state.db, &judge_ids).await?;
    let by_id: HashMap<i64, &rounds::EntryBrief> = r.entries.iter().map(|e| (e.id, e)).collect();
    let rule = service::rule_text(&r.rule, &r.criteria, lang);
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        // Numbers stay numbers, shown with the spreadsheet's own separators.
        let whole = Format::new().set_num_format("#,##0");
        let decimal = Format::new().set_num_format("#,##0.00");
        let ws = wb.add_worksheet().set_name(t.sheet_ranking)?;
        header_row(
            ws,
            &[
                t.rank,
                t.x_receipt,
                t.anon_code,
                t.x_title,
                t.genre,
                t.unit,
                t.score,
                t.raw,
                t.x_counted,
                t.median,
                t.sd,
                t.range,
                t.x_spread,
                t.x_tie,
            ],
            &bold,
        )?;
        let mut row = 1u32;
        for re in &r.ranking.entries {
            let (Some(e), Some(res)) = (r.entries.get(re.entry as usize), r.result(re.entry))
            else {
                continue;
            };
            ws.write_number_with_format(row, 0, f64::from(re.rank), &whole)?;
            ws.write_string(row, 1, &e.receipt_code)?;
            ws.write_string(row, 2, codes.get(&e.id).map(String::as_str).unwrap_or(""))?;
            ws.write_string(row, 3, &e.title)?;
            ws.write_string(
                row,
                4,
                genres.get(&e.genre_id).map(String::as_str).unwrap_or(""),
            )?;
            ws.write_string(
                row,
                5,
                units.get(&e.unit_id).map(String::as_str).unwrap_or(""),
            )?;
            ws.write_number_with_format(row, 6, re.score, &decimal)?;
            if let Some(raw) = r.raw_mean.get(&re.entry) {
                ws.write_number_with_format(row, 7, *raw, &decimal)?;
            }
            ws.write_number_with_format(row, 8, f64::from(res.judges_counted), &whole)?;
            for (col, v) in [(9, res.median), (10, res.std_dev), (11, res.range)] {
                if let Some(v) = v {
                    ws.write_number_with_format(row, col, v, &decimal)?;
                }
            }
            ws.write_string(row, 12, if res.disagreement { t.yes } else { "" })?;
            ws.write_string(row, 13, decided_label(re.decided, &r.rule, &r, lang))?;
            row += 1;
        }
        ws.write_string(row + 1, 0, t.rule_line(&rule))?;
        ws.set_column_width(3, 40)?;
        ws.set_column_width(5, 30)?;

        let ws = wb.add_worksheet().set_name(t.sheet_sheets)?;
        let mut titles: Vec<String> = vec![t.x_receipt.into(), t.anon_code.into(), t.judge.into()];
        titles.extend(r.criteria.iter().map(|c| c.name.clone()));
        titles.extend([t.total.to_string(), t.sheet_status.into(), t.comment.into()]);
        let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        header_row(ws, &refs, &bold)?;
        let mut row = 1u32;
        for a in pairs.iter().filter(|a| a.status != assignments::PREVIEW) {
            let Some(e) = by_id.get(&a.entry_id) else {
                continue;
            };
            let s = sheets
                .iter()
                .find(|s| s.entry_id == a.entry_id && s.user_id == a.user_id);
            ws.write_string(row, 0, &e.receipt_code)?;
            ws.write_string(row, 1, codes.get(&e.id).map(String::as_str).unwrap_or(""))?;
            ws.write_string(
                row,
                2,
                judges
                    .get(&a.user_id)
                    .map(|u| u.full_name.as_str())
                    .unwrap_or(""),
            )?;
            let points = s.map(scores::points_of).unwrap_or_default();
            for (i, p) in points.iter().enumerate().take(r.criteria.len()) {
                if let Some(p) = p {
                    ws.write_number_with_format(row, 3 + i as u16, *p, &decimal)?;
                }
            }
            let col = 3 + r.criteria.len() as u16;
            if let Some(t) = crate::judging::judge::service::total_of(&points, &r.criteria) {
                ws.write_number_with_format(row, col, t, &decimal)?;
            }
            let status = if a.status == assignments::RECUSED {
                t.sheet_recused
            } else {
                match s.map(|s| s.status) {
                    Some(scores::SUBMITTED) => t.sheet_submitted,
                    Some(_) => t.sheet_draft,
                    None => t.sheet_unscored,
                }
            };
            ws.write_string(row, col + 1, status)?;
            ws.write_string(row, col + 2, s.map(|s| s.comment.as_str()).unwrap_or(""))?;
            row += 1;
        }
        ws.set_column_width(2, 28)?;

        let ws = wb.add_worksheet().set_name(t.sheet_awards)?;
        header_row(
            ws,
            &[
                t.award,
                t.genre,
                t.x_receipt,
                t.x_title,
                t.unit,
                t.score,
                t.x_rank_in_genre,
            ],
            &bold,
        )?;
        for (i, a) in confirmed.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, &a.tier_name)?;
            ws.write_string(
                row,
                1,
                a.genre_id
                    .and_then(|g| genres.get(&g))
                    .map(String::as_str)
                    .unwrap_or(t.collective_award),
            )?;
            let e = a.entry_id.and_then(|e| by_id.get(&e));
            ws.write_string(row, 2, e.map(|e| e.receipt_code.as_str()).unwrap_or(""))?;
            ws.write_string(row, 3, e.map(|e| e.title.as_str()).unwrap_or(""))?;
            let unit = a.unit_id.or(e.map(|e| e.unit_id));
            ws.write_string(
                row,
                4,
                unit.and_then(|u| units.get(&u))
                    .map(String::as_str)
                    .unwrap_or(""),
            )?;
            if let Some(s) = a.score {
                ws.write_number_with_format(row, 5, s, &decimal)?;
            }
            if let Some(k) = a.rank {
                ws.write_number_with_format(row, 6, f64::from(k), &whole)?;
            }
        }
        ws.set_column_width(0, 36)?;
        ws.set_column_width(3, 40)?;
        wb.save_to_buffer()
    };
    let body = build().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ket-qua-vong-{id}.xlsx\""),
            ),
        ],
        body,
    )
        .into_response())
}
