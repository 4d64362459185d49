//! Decision 0009: numbers mark the token after them; a 15-token copy whose first or
//! last word was changed is still found; a repeated word is never a passage.

use hoithi_integrity::{Params, align, align_texts};

fn keys(text: &str) -> Vec<u16> {
    align::Prepared::new(text, &Params::default()).keys
}

#[test]
fn a_number_marks_the_next_token_only_where_numbers_differ() {
    let a = keys("Theo Chỉ thị số 3-CT/TW ngày 23/5/2021 có 81,7% với 42.384 người tham gia");
    let same = keys("Theo Chỉ thị số 3-CT/TW ngày 23/5/2021 có 81,7% với 42.384 người tham gia");
    let other = keys("Theo Chỉ thị số 12-CT/TW ngày 17/8/2023 có 95,3% với 20.011 người tham gia");
    assert_eq!(a, same);
    assert_eq!(a.len(), other.len());
    // Theo Chỉ thị số | ngày | có | với | người tham gia: the tokens after the four
    // numbers differ, the others do not.
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != other[i]).collect();
    assert_eq!(differ, vec![4, 5, 6, 7]);
    // Without numbers nothing is marked.
    let plain = keys("Theo Chỉ thị số ngày có với người tham gia");
    let plain2 = keys("theo chi thi so ngay co voi nguoi tham gia");
    assert_eq!(plain, plain2);
}

#[test]
fn a_link_marks_the_next_token() {
    let a = keys("Xem bài viết ở https://a.example.vn/x-1.html hoặc tệp đính kèm");
    let b = keys("Xem bài viết ở https://b.example.vn/y-2.html hoặc tệp đính kèm");
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert_eq!(differ, vec![4]);
}

const SOURCE: &str = "Đảng ta luôn khẳng định chủ nghĩa Mác Lênin và tư tưởng Hồ Chí Minh là nền tảng tư tưởng kim chỉ nam cho hành động của toàn Đảng và toàn dân";

#[test]
fn a_copy_with_its_first_word_changed_is_found() {
    // Fifteen words copied, the first one changed: fourteen match.
    let words: Vec<&str> = SOURCE.split(' ').collect();
    let copied = words[0..15].join(" ");
    let changed = format!("Nhưng {}", words[1..15].join(" "));
    let a = format!("Mở đầu bài viết riêng của tôi. {copied}. Kết bài hoàn toàn khác.");
    let b = format!("Một đoạn khác hẳn ở đây nhé. {changed}. Phần sau cũng khác nữa.");
    let found = align_texts(&a, &b, &Params::default());
    assert_eq!(found.len(), 1, "{found:?}");
    // Thirteen matching words are not enough.
    let shorter = format!("Nhưng {}", words[1..14].join(" "));
    let c = format!("Một đoạn khác hẳn ở đây nhé. {shorter}. Phần sau cũng khác nữa.");
    let d = format!(
        "Mở đầu bài viết riêng của tôi. {}. Kết bài hoàn toàn khác.",
        words[0..14].join(" ")
    );
    assert!(align_texts(&d, &c, &Params::default()).is_empty());
}

#[test]
fn a_repeated_word_is_no_passage() {
    let a = format!("Mở đầu riêng. {} Kết riêng.", "vân ".repeat(14));
    let b = format!("Khác hẳn nhé. {} Cuối khác.", "vân ".repeat(14));
    assert!(align_texts(&a, &b, &Params::default()).is_empty());
}
