//! Texts of the start block: a signed-in person's own work on the home page.

catalogue! {
    my_work: "Việc của tôi", "My work";
    judging: "Chấm thi", "Judging";
    all_judging: "Tất cả vòng tôi chấm", "All rounds I judge";
    contests: "Cuộc thi tôi phụ trách", "Contests I work on";
    screening: "Sơ loại bài dự thi", "Screen entries";
    dashboard: "Thống kê tham gia", "Participation";
    rounds: "Vòng chấm", "Judging rounds";
    results: "kết quả", "results";
    references: "Tài liệu đối chiếu", "Reference texts";
    settings: "Cài đặt cuộc thi", "Contest settings";
    published_results: "Kết quả đã công bố", "Published results";
    administration: "Quản trị", "Administration";
    launch_or_list: "Cuộc thi (phát động mới)", "Contests (launch one)";
    my_entries: "Bài của tôi", "My entries";
    no_entries: "Bạn chưa gửi bài dự thi nào.", "You have not submitted an entry yet.";
    nav_judging: "Chấm thi", "Judging";
    nav_contests: "Cuộc thi", "Contests";
    nav_courses: "Lớp học", "Courses";
    nav_news: "Tin tức", "News";
    nav_my_entries: "Bài của tôi", "My entries";
    // Each organizer page says what it is for and what comes next.
    help_screening: "Danh sách bài dự thi trong phạm vi bạn phụ trách. Mở từng bài để xem nội dung và kết quả kiểm tra trùng lặp, rồi ghi quyết định hợp lệ hoặc loại kèm lý do. Bài hợp lệ sẽ được đưa vào vòng chấm.", "The entries within your reach. Open each one to read it and its copy check, then record a decision: eligible, or disqualified with a reason. Eligible entries go on to the judging rounds.";
    help_dashboard: "Số bài đã nhận theo thể loại, đối tượng và đơn vị, so với số người của đơn vị. Chọn một đơn vị để xem sâu hơn; tải bảng tính để báo cáo.", "Entries received by genre, group and unit, against each unit's headcount. Choose a unit to look deeper; download the spreadsheet for a report.";
    help_settings: "Thời gian nhận bài, thể lệ, đơn vị nhận bài, thể loại và đối tượng dự thi. Lưu xong, trang cuộc thi hiển thị ngay thay đổi; bước tiếp theo là sơ loại bài và lập vòng chấm.", "Dates, rules, collecting units, genres and groups. Once saved, the contest page shows the change at once; next come screening and the judging rounds.";
    help_sources: "Văn bản mẫu để đối chiếu khi kiểm tra trùng lặp: bài đã đăng ở nơi khác (tính là sao chép) hoặc văn bản được phép trích (không tính). Thêm văn bản rồi kiểm tra lại toàn bộ bài dự thi.", "Texts the copy check compares entries with: work published elsewhere (counts as copying) or text everyone may quote (does not count). Add texts, then check every entry again.";
    help_rounds: "Các vòng chấm của cuộc thi: sơ khảo ở từng đơn vị, chung khảo ở ban tổ chức. Tạo vòng, đặt tiêu chí, mời giám khảo rồi phân công bài.", "The contest's judging rounds: a preliminary round per unit, the final round by the organizers. Create a round, set its rubric, invite judges, then assign entries.";
    help_new_round: "Chọn loại vòng và đơn vị phụ trách. Sau khi tạo, bạn sẽ đặt tiêu chí chấm và mời giám khảo.", "Choose the kind of round and the unit running it. After creating it you set the rubric and invite judges.";
    help_round: "Trang điều hành một vòng: tiêu chí chấm, giám khảo, trạng thái vòng. Thứ tự thường làm: nhận bài vào vòng, mời giám khảo, phân công, mở chấm, đóng chấm, xem kết quả và xét giải.", "Running one round: rubric, judges, status. The usual order: take entries in, invite judges, assign, open scoring, close it, then look at results and awards.";
    help_assignments: "Phân công bài cho giám khảo: tự động (tránh xung đột, chia đều) hoặc thêm từng cặp. Xem lại đợt phân công rồi công bố để giám khảo thấy bài.", "Assign entries to judges: automatically (avoiding conflicts, evenly) or pair by pair. Review the batch, then publish it so judges see their entries.";
    help_batch: "Một đợt phân công: kiểm tra danh sách cặp bài – giám khảo, rồi công bố hoặc hoàn tác.", "One batch of assignments: check the entry–judge pairs, then publish or undo it.";
    help_conflicts: "Quy tắc xung đột: giám khảo không được chấm bài của đơn vị hay người nhất định, hoặc bắt buộc chấm một bài. Phân công tự động tuân theo các quy tắc này.", "Conflict rules: a judge may not score entries of a given unit or person, or must score a given entry. Automatic assignment follows these rules.";
    help_results: "Điểm tổng hợp của vòng theo thứ tự xếp hạng, với quy tắc đồng điểm đã công bố. Mở từng bài để xem các phiếu chấm; sau đó chọn bài vào vòng sau hoặc xét giải.", "The round's combined scores in ranking order, under the published tie-break rule. Open an entry to see its sheets; then move entries on or decide the awards.";
    help_sheets: "Các phiếu chấm của một bài. Có thể mở lại phiếu để giám khảo sửa khi vòng còn đang chấm.", "The score sheets of one entry. A sheet can be reopened for its judge while scoring is still open.";
    help_awards: "Xét giải theo điểm gợi ý: kiểm tra, sửa nếu cần, xác nhận rồi công bố. Khi công bố, kết quả hiện trên trang cuộc thi và giấy chứng nhận được cấp.", "Awards from the suggested ranking: check, adjust, confirm, then publish. Publishing shows the results on the contest page and issues the certificates.";
    help_advance: "Chọn bài vào vòng sau: theo số bài mỗi đơn vị, theo xếp hạng chung hoặc theo ngưỡng điểm. Xem trước danh sách rồi xác nhận.", "Choose the entries that go on: a number per unit, by overall rank, or above a score. Preview the list, then confirm.";
    certificate_lookup: "Tra cứu giấy chứng nhận", "Look up a certificate";
    certificate_code: "Mã giấy chứng nhận", "Certificate code";
    certificate_check: "Tra cứu", "Look up";
    nav_search: "Tìm kiếm", "Search";
    search_title: "Tìm kiếm", "Search";
    search_label: "Từ cần tìm", "Words to find";
    search_button: "Tìm", "Search";
    search_none: "Không tìm thấy kết quả nào.", "Nothing found.";
    help_search: "Tìm trong các cuộc thi, kết quả đã công bố, lớp bồi dưỡng và tin bài mà bạn được xem. Có thể gõ không dấu; kết quả khớp đúng dấu hiện trước.", "Search the contests, published results, courses and news posts you may see. Diacritics are optional; hits that match as typed come first.";
    search_kind_contest: "Cuộc thi", "Contest";
    search_kind_results: "Kết quả", "Results";
    search_kind_course: "Lớp bồi dưỡng", "Course";
    search_kind_material: "Tài liệu lớp học", "Course material";
    search_kind_news: "Tin bài", "News";
}

formats! {
    left_days(days, hours): "Còn {days} ngày {hours} giờ để gửi bài.", "Time left to submit: {days} d {hours} h.";
    left_hours(hours, minutes): "Còn {hours} giờ {minutes} phút để gửi bài.", "Time left to submit: {hours} h {minutes} min.";
    progress(done, total): "{done}/{total} đã nộp", "{done}/{total} submitted";
    entries_count(n): "Bạn đã gửi {n} bài dự thi.", "You have submitted {n} entries.";
}
