//! Texts of the copy checks: an entry's overlaps, side-by-side comparison, reference texts
//! and allowed sources, common text.

catalogue! {
    copy_check: "Kiểm tra trùng lặp", "Copy check";
    share: "Tỷ lệ trùng lặp", "Copied share";
    share_note: "Tỷ lệ chỉ tính các đoạn trùng với bài dự thi khác và tài liệu đối chiếu; đoạn trích nguồn được phép và văn bản chung không tính.", "The share counts only passages shared with other entries and reference texts; quotes from allowed sources and common text do not count.";
    no_overlap: "Không có đoạn trùng với tác phẩm hay tài liệu nào khác trong cuộc thi.", "No passage is shared with another entry or text of the contest.";
    no_overlap_entries: "Không có đoạn trùng với tác phẩm nào khác trong cuộc thi.", "No passage is shared with another entry of the contest.";
    shared_with: "Trùng với", "Shared with";
    shared_with_code: "Trùng với (mã số phách)", "Shared with (anonymous code)";
    kind: "Loại", "Kind";
    passages: "Số đoạn", "Passages";
    shared_words: "Số chữ trùng (ước)", "Shared words (estimate)";
    compare: "Đối chiếu", "Compare";
    pending: "Tác phẩm đang chờ kiểm tra trùng lặp; vui lòng tải lại sau ít giây.", "The entry is waiting for its copy check; please reload in a few seconds.";
    not_checked: "Tác phẩm chưa được kiểm tra trùng lặp.", "The entry has not been checked for copied text yet.";
    references_link: "Tài liệu đối chiếu và nguồn được phép trích dẫn", "Reference texts and allowed sources";
    highlighted: "Các đoạn trùng được tô sáng trong cả hai văn bản.", "Shared passages are highlighted in both texts.";
    highlighted_originals: "Các đoạn trùng được tô sáng trong cả hai văn bản gốc.", "Shared passages are highlighted in both original texts.";
    // What an entry's text matched (`integrity::pages::kind_label`).
    match_common: "Văn bản chung (rất nhiều bài cùng có, không tính)", "Common text (in very many entries, not counted)";
    match_allowed: "Nguồn được phép trích dẫn (không tính)", "Allowed source (not counted)";
    match_reference: "Tài liệu đối chiếu", "Reference text";
    match_entry: "Bài dự thi", "Entry";
    // Quotes and citations (a contest's quote rule; the parts of a share).
    count_quotes_label: "Tính các đoạn trích trong ngoặc kép vào tỷ lệ trùng lặp", "Count passages in quotation marks in the copied share";
    count_quotes_help: "Đoạn trong ngoặc kép (“…”, \"…\", «…») trùng với văn bản khác luôn được chỉ ra; bỏ chọn để không tính chúng. Danh mục tài liệu tham khảo và dòng trích nguồn không bao giờ được tính. Đổi lựa chọn này sẽ kiểm tra lại mọi bài.", "Passages in quotation marks (“…”, \"…\", «…») shared with another text are always shown; untick to leave them out of the share. Reference lists and citation lines never count. Changing this checks every entry again.";
    rule_quotes_counted: "Kiểm tra trùng lặp: đoạn trích trong ngoặc kép trùng với văn bản khác được tính vào tỷ lệ trùng lặp.", "Copy check: passages in quotation marks shared with another text count in the copied share.";
    rule_quotes_not_counted: "Kiểm tra trùng lặp: đoạn trích trong ngoặc kép được chỉ ra nhưng không tính vào tỷ lệ trùng lặp.", "Copy check: passages in quotation marks are shown but do not count in the copied share.";
    rule_citations: "Danh mục tài liệu tham khảo và dòng trích nguồn không được tính.", "Reference lists and citation lines are not counted.";
    shared_part: "Phần trùng", "What is shared";
    shared_prose: "Văn bản chép lại", "Copied prose";
    shared_quote: "Chỉ đoạn trích trong ngoặc kép", "Only passages in quotation marks";
    shared_citation: "Cùng trích dẫn (không tính)", "Same citations (not counted)";
    legend_prose: "đoạn chép lại", "copied prose";
    legend_quote: "đoạn trích trong ngoặc kép", "passage in quotation marks";
    legend_citation: "trích dẫn, tài liệu tham khảo", "citation, reference list";
    removed_source: "(tài liệu đã bị xóa; kiểm tra lại để cập nhật)", "(removed text; recheck to update)";
    // Reference texts and allowed sources.
    source_allowed: "Nguồn được phép trích dẫn", "Allowed source";
    source_reference: "Tài liệu đối chiếu", "Reference text";
    sources_short: "Tài liệu đối chiếu", "Reference texts";
    intro: "Mọi tác phẩm được kiểm tra trùng lặp với các bài dự thi khác và với các văn bản dưới đây.", "Every entry is checked for copied text against the other entries and the texts below.";
    references_strong: "Tài liệu đối chiếu", "Reference texts";
    references_help: "(bài dự thi các năm trước, bài đã đăng báo): đoạn chép lại được tính vào tỷ lệ trùng lặp.", "(entries of earlier years, published articles): copied passages count towards the share.";
    allowed_strong: "Nguồn được phép trích dẫn", "Allowed sources";
    allowed_help: "(nghị quyết, bài phát biểu, đề bài của cuộc thi): đoạn trích không tính.", "(resolutions, speeches, the contest's prompt): quotes do not count.";
    removed: "Đã xóa văn bản.", "Text removed.";
    add_title: "Thêm văn bản", "Add a text";
    text_kind: "Loại văn bản", "Kind of text";
    kind_reference_label: "Tài liệu đối chiếu (chép lại bị tính)", "Reference text (copying counts)";
    kind_allowed_label: "Nguồn được phép trích dẫn (không tính)", "Allowed source (not counted)";
    text_title: "Tên văn bản", "Title of the text";
    file_label: "Tệp (DOCX, ODT, PDF, TXT; tối đa 20 MB)", "File (DOCX, ODT, PDF, TXT; at most 20 MB)";
    // The JSONL help, around its three pieces of code (`jsonl_2` follows the first directly).
    jsonl_1: "Nhập nhiều văn bản một lần: chọn tệp", "To add many texts at once, choose a";
    jsonl_2: ", mỗi dòng", " file with, on each line,";
    jsonl_3: "(cùng dạng với lệnh", "(the same form as the command";
    jsonl_4: "); mỗi dòng thành một văn bản mang tên là mã của dòng (có thêm tên ở trên làm tiền tố, nếu nhập).", "); each line becomes a text named after its id (prefixed with the title above, if given).";
    paste: "Hoặc dán nội dung", "Or paste the text";
    add_button: "Thêm và kiểm tra lại các tác phẩm", "Add and re-check the entries";
    existing_title: "Các văn bản đã có", "Texts on file";
    no_texts: "Chưa có văn bản nào.", "No texts yet.";
    name: "Tên", "Title";
    words: "Số chữ", "Words";
    file: "Tệp", "File";
    added: "Thêm lúc", "Added";
    common_title: "Văn bản chung", "Common text";
    common_none: "Chưa phát hiện văn bản chung.", "No common text found yet.";
    passage: "Đoạn văn", "Passage";
    entries_with: "Số bài có đoạn này", "Entries containing it";
    progress_link: "Xem tiến độ kiểm tra lại", "Watch the re-check's progress";
    progress_title: "Tiến độ kiểm tra trùng lặp", "Copy check progress";
    progress_help: "Lần kiểm tra lại toàn bộ bài dự thi gần nhất (sau khi yêu cầu kiểm tra lại hoặc thay đổi tài liệu đối chiếu). Trang tự cập nhật khi việc còn đang chạy; bạn có thể đóng trang, việc vẫn tiếp tục.", "The latest full re-check of the entries (after asking for one or changing the reference texts). The page updates itself while the work runs; you may close it, the work goes on.";
    progress_started: "Bắt đầu lúc", "Started at";
    progress_entries: "bài đã kiểm tra", "entries checked";
    progress_refresh: "Trang tự cập nhật sau mỗi 5 giây.", "This page updates itself every 5 seconds.";
    progress_refresh_3: "Trang tự cập nhật sau mỗi 3 giây.", "This page updates itself every 3 seconds.";
    progress_done: "Đã kiểm tra xong mọi bài dự thi.", "Every entry has been checked.";
    progress_none: "Chưa có lần kiểm tra lại toàn bộ nào.", "No full re-check has been asked for yet.";
}

formats! {
    progress_stalled(n): "{n} bài chưa kiểm tra được (việc kiểm tra đã thử lại nhiều lần mà không xong). Bạn có thể yêu cầu kiểm tra lại.", "{n} entries could not be checked (the check was retried and gave up). You may ask for a re-check.";
    share_parts(prose, quoted, cited): "Văn bản chép lại {prose}% · đoạn trích trong ngoặc kép trùng {quoted}% · trích dẫn trùng {cited}% (không tính)", "Copied prose {prose}% · shared passages in quotation marks {quoted}% · shared citations {cited}% (not counted)";
    overlap_title(code): "Kiểm tra trùng lặp {code}", "Copy check {code}";
    allowed_limit(limit): "mức cho phép của thể loại: {limit}%", "allowed for the genre: {limit}%";
    checked_at(time): "kiểm tra lúc {time}", "checked at {time}";
    compare_short(a, b): "Đối chiếu {a} – {b}", "Compare {a} – {b}";
    compare_pair(a, b): "Đối chiếu {a} và {b}", "Comparing {a} and {b}";
    added_n(n): "Đã thêm {n} văn bản.", "{n} texts added.";
    rechecking(n): "Đang kiểm tra lại {n} tác phẩm trong nền.", "Re-checking {n} entries in the background.";
    time_left(minutes): "Còn khoảng {minutes} phút", "About {minutes} min left";
    common_help(n): "Đoạn văn có trong rất nhiều bài dự thi được tự động coi như nguồn được phép trích dẫn và không tính vào tỷ lệ trùng lặp. Danh sách lấy từ {n} lượt kiểm tra gần nhất có văn bản chung.", "Passages found in very many entries are treated as allowed sources and do not count towards the share. The list comes from the {n} latest checks that found common text.";
}
