//! Texts of the contest pages: the contest, submission and the private link, screening,
//! settings and participation statistics (with their CSV and Excel exports).

catalogue! {
    // The contest list and page.
    index_title: "Cuộc thi", "Contests";
    launch: "Phát động cuộc thi", "Launch a contest";
    launch_button: "Phát động", "Launch";
    organizer_label: "Đơn vị tổ chức", "Organizer";
    entries_word: "tác phẩm", "entries";
    entries_submitted_word: "tác phẩm dự thi", "entries submitted";
    submit_entry: "Gửi bài dự thi", "Submit an entry";
    not_open: "Hiện không trong thời gian nhận bài.", "Entries are not being accepted at the moment.";
    screen_entries: "Sơ loại tác phẩm", "Screen entries";
    participation: "Thống kê tham gia", "Participation";
    contest_settings: "Cài đặt cuộc thi", "Contest settings";
    genres_title: "Thể loại", "Genres";
    genre: "Thể loại", "Genre";
    words: "Số chữ", "Words";
    formats: "Định dạng", "Formats";
    overlap_allowed: "Tỷ lệ trùng lặp cho phép", "Allowed overlap";
    rules_title: "Thể lệ", "Rules";
    // A new contest and its settings.
    contest_title_label: "Tên cuộc thi", "Contest name";
    organizer_unit_label: "Đơn vị tổ chức", "Organizing unit";
    opens_label: "Ngày mở nhận bài (dd/mm/yyyy)", "Opening date (dd/mm/yyyy)";
    closes_label: "Hạn nhận bài (dd/mm/yyyy, hết 23:59 giờ Việt Nam)", "Deadline (dd/mm/yyyy, until 23:59 Vietnam time)";
    description_label: "Giới thiệu", "Introduction";
    rules_label: "Thể lệ", "Rules";
    new_help: "Các đơn vị trực thuộc đơn vị tổ chức sẽ thu bài; thể loại và đối tượng dự thi theo mẫu cuộc thi chính luận.", "The units directly under the organizer collect entries; genres and participant groups follow the political-essay contest template.";
    settings_short: "Cài đặt", "Settings";
    receipt_link: "Xem lại biên nhận", "See the receipt again";
    display_tone_label: "Cách hiển thị dấu thanh trong bài dự thi", "How tone marks are shown in entries";
    tone_as_written: "Như tác giả viết (mặc định)", "As the author wrote them (default)";
    tone_new: "Kiểu mới: hoà, thuý, uỷ", "New style (tone mark on the second vowel)";
    tone_old: "Kiểu cũ: hòa, thúy, ủy", "Old style (tone mark on the first vowel)";
    display_tone_help: "Chỉ đổi cách hiển thị trên trang chấm và trang sơ loại; văn bản tác giả gửi được lưu nguyên.", "Changes only how the judging and screening pages show the text; what the author sent is kept unchanged.";
    published_label: "Công bố (mọi người xem được trang cuộc thi và gửi bài trong thời hạn)", "Published (everyone can see the contest page and submit within the dates)";
    collecting_legend: "Đơn vị thu bài (triển khai)", "Collecting units (roll-out)";
    collecting_help: "Mỗi đơn vị được chọn và các đơn vị cấp dưới của nó nhận bài, xem bài và thống kê của mình.", "Each chosen unit and the units below it receive entries and see their own entries and statistics.";
    save_general: "Lưu thông tin chung", "Save general settings";
    genres_groups_title: "Thể loại và đối tượng dự thi", "Genres and participant groups";
    medium: "Loại hình", "Medium";
    medium_text: "Bài viết", "Written text";
    medium_media: "Phát thanh, truyền hình, video (đường dẫn)", "Radio, television, video (link)";
    min_words: "Số chữ tối thiểu", "Minimum words";
    max_words: "Số chữ tối đa", "Maximum words";
    max_authors: "Số tác giả tối đa", "Maximum authors";
    max_entries_short: "Số bài tối đa / tác giả", "Maximum entries per author";
    max_entries: "Số bài tối đa của một tác giả", "Maximum entries of one author";
    accepted_formats: "Định dạng nhận", "Accepted formats";
    overlap_allowed_pct: "Tỷ lệ trùng lặp cho phép (%)", "Allowed overlap (%)";
    genre_name: "Tên thể loại", "Genre name";
    new_genre: "Thêm thể loại mới", "Add a new genre";
    delete_genre: "Xóa thể loại", "Delete genre";
    participant_groups: "Đối tượng dự thi", "Participant groups";
    add_group: "Thêm đối tượng", "Add a group";
    delete_group: "Xóa đối tượng này", "Delete this group";
    save_genres: "Lưu thể loại và đối tượng", "Save genres and groups";
    // Submitting, the receipt and the private link.
    edit_entry: "Sửa bài dự thi", "Edit entry";
    edit_help: "Bản sửa thay thế bài đã gửi; bản trước vẫn được lưu trong lịch sử của bài. Bài sẽ được sơ loại lại.", "The new version replaces the submitted one; the earlier one stays in the entry's history. The entry will be screened again.";
    collecting_unit_label: "Đơn vị nhận bài (nơi bạn công tác hoặc cư trú)", "Collecting unit (where you work or live)";
    entry_title_label: "Tên tác phẩm", "Title of the work";
    pen_name_label: "Bút danh (nếu có)", "Pen name (if any)";
    author: "Tác giả", "Author";
    co_author: "Đồng tác giả (nếu có)", "Co-author (if any)";
    birth_year: "Năm sinh", "Year of birth";
    workplace: "Đơn vị công tác / nơi ở", "Workplace / place of residence";
    group: "Đối tượng", "Participant group";
    file_label: "Tệp tác phẩm (DOCX, ODT, PDF, TXT; tối đa 20 MB)", "File of the work (DOCX, ODT, PDF, TXT; at most 20 MB)";
    paste_label: "… hoặc dán nội dung tác phẩm", "… or paste the text of the work";
    media_link_label: "Đường dẫn tác phẩm (thể loại video, phát thanh, truyền hình)", "Link to the work (video, radio and television genres)";
    confirm_unpublished: "Tôi cam đoan tác phẩm chưa từng được công bố và không chứa thông tin nhận biết tác giả trong nội dung.", "I confirm that the work has never been published and that its text does not identify its author.";
    confirm_not_staff: "Tôi không thuộc ban tổ chức, ban giám khảo, tổ thư ký cuộc thi.", "I am not a member of the contest's organizing committee, jury or secretariat.";
    save_edit: "Lưu bản sửa", "Save changes";
    submit_button: "Gửi bài", "Submit";
    received_title: "Đã nhận tác phẩm", "Entry received";
    receipt_code: "Mã tác phẩm", "Receipt code";
    received_time: "Thời gian nhận", "Received at";
    file_sha: "SHA-256 của tệp", "SHA-256 of the file";
    private_link_help: "Đường dẫn riêng để xem, theo dõi kết quả sơ loại hoặc rút bài trước hạn (hãy lưu lại, không chia sẻ):", "Your private link to view the entry, follow its screening or withdraw it before the deadline (keep it, do not share it):";
    edit_saved: "Đã lưu bản sửa. Biên nhận mới đã được gửi tới bạn.", "Your changes were saved. A new receipt was sent to you.";
    pen_name: "Bút danh", "Pen name";
    status: "Tình trạng", "Status";
    reason: "Lý do", "Reason";
    edit_or_resubmit: "Sửa hoặc gửi lại bài", "Edit or resubmit";
    history: "Lịch sử các lần gửi", "Submission history";
    version: "Lần", "Version";
    time: "Thời gian", "Time";
    withdraw: "Rút bài dự thi", "Withdraw the entry";
    mine_title: "Bài dự thi của tôi", "My entries";
    mine_none: "Bạn chưa gửi bài dự thi nào khi đăng nhập.", "You have not submitted any entry while signed in.";
    code: "Mã", "Code";
    entry: "Tác phẩm", "Entry";
    contest: "Cuộc thi", "Contest";
    received_at: "Nhận lúc", "Received";
    // Entry statuses (`entries::SUBMITTED`, …).
    status_submitted: "Đã nhận, chờ sơ loại", "Received, awaiting screening";
    status_eligible: "Hợp lệ", "Eligible";
    status_disqualified: "Bị loại", "Disqualified";
    status_withdrawn: "Đã rút", "Withdrawn";
    // Screening.
    screening: "Sơ loại", "Screening";
    awaiting_screening: "Chờ sơ loại", "Awaiting screening";
    sort: "Sắp xếp", "Sort";
    newest: "Mới nhất", "Newest";
    oldest: "Cũ nhất", "Oldest";
    by_title: "Tên tác phẩm (A–Z)", "Title (A–Z)";
    by_words: "Số chữ", "Word count";
    flagged_only: "Chỉ bài có cảnh báo", "Only entries with warnings";
    recheck_all: "Kiểm tra trùng lặp lại toàn bộ tác phẩm", "Re-run the copy check on every entry";
    references_link: "Tài liệu đối chiếu và nguồn được phép trích dẫn", "Reference texts and allowed sources";
    collecting_unit: "Đơn vị nhận bài", "Collecting unit";
    authors: "Tác giả", "Authors";
    overlap_results: "Kết quả kiểm tra trùng lặp", "Copy check results";
    decide_eligible: "Hợp lệ", "Eligible";
    decide_disqualify: "Loại", "Disqualify";
    reason_visible: "Lý do (người gửi sẽ thấy)", "Reason (the submitter will see it)";
    save_screening: "Lưu kết quả sơ loại", "Save the screening result";
    view_work: "Xem tác phẩm", "View the work";
    // Warning flags of an entry (`screening::flag_label`).
    flag_word_limits: "Ngoài giới hạn số chữ", "Outside the word limits";
    flag_name_in_text: "Tên tác giả/bút danh trong bài", "Author or pen name inside the work";
    flag_duplicate_file: "Tệp đã được gửi trước đó", "Same file submitted before";
    flag_too_many_by_author: "Vượt số bài của một tác giả", "More entries by one author than allowed";
    flag_spelling: "Nhiều lỗi chính tả", "Many spelling hints";
    flag_over_overlap: "Trùng lặp vượt mức cho phép", "Copied text above the allowed share";
    // Participation statistics, on the page and in the CSV and Excel exports.
    stats_title: "Thống kê", "Statistics";
    download_xlsx: "Tải Excel (.xlsx)", "Download Excel (.xlsx)";
    by_unit: "Theo đơn vị", "By unit";
    by_genre: "Theo thể loại", "By genre";
    by_group: "Theo đối tượng", "By participant group";
    by_day: "Theo ngày", "By day";
    unit: "Đơn vị", "Unit";
    entries: "Tác phẩm", "Entries";
    headcount: "Số người", "Headcount";
    participation_rate: "Tỷ lệ tham gia", "Participation rate";
    entries_count: "Số tác phẩm", "Entries";
    authors_count: "Số tác giả", "Authors";
}

formats! {
    open_until(date): "Đang nhận bài đến {date}", "Open for entries until {date}";
    deadline_at(date): "Hạn nhận bài: {date}", "Deadline: {date}";
    receiving_window(opens, closes): "Nhận bài từ {opens} đến {closes} (giờ Việt Nam)", "Entries from {opens} to {closes} (Vietnam time)";
    receipt_title(code): "Biên nhận {code}", "Receipt {code}";
    received_notice(contest): "Ban tổ chức cuộc thi «{contest}» đã nhận tác phẩm của bạn.", "The organizers of «{contest}» have received your entry.";
    entry_title(code): "Tác phẩm {code}", "Entry {code}";
    edit_entry_code(code): "Sửa bài dự thi {code}", "Edit entry {code}";
    attach_again(file): "Tệp «{file}» chưa được lưu vì biểu mẫu còn lỗi; vui lòng chọn lại tệp này trước khi gửi.", "The file «{file}» was not saved because the form had a problem; please attach it again before sending.";
    new_file_label(file): "Tệp mới (để trống để giữ tệp hiện tại «{file}»)", "New file (leave empty to keep the current file «{file}»)";
    versions_count(n): "{n} phiên bản", "{n} versions";
    group_n(n): "Đối tượng {n}", "Group {n}";
    authors_of(n): "{n} tác giả", "{n} authors";
    more_than(n): "hơn {n}", "more than {n}";
    directly(unit): "{unit} (trực tiếp)", "{unit} (directly)";
}
