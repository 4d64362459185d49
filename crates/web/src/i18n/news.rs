//! Texts of the news: the editors' pages (writing, photos, approval, revisions, categories,
//! DOCX import) and the readers' pages (lists, the post page, search, feeds), and the home
//! page's news block.

catalogue! {
    news: "Tin tức", "News";
    role_editor: "Biên tập viên tin tức", "News editor";
    role_approver: "Duyệt tin tức", "News approver";
    // Statuses.
    status: "Trạng thái", "Status";
    status_draft: "Bản nháp", "Draft";
    status_awaiting: "Chờ duyệt", "Awaiting approval";
    status_published: "Đã đăng", "Published";
    status_scheduled: "Hẹn giờ đăng", "Scheduled";
    status_unpublished: "Đã gỡ", "Taken down";
    // Notices after an action.
    saved: "Đã lưu bài (một phiên bản mới được giữ lại).", "Post saved (a new revision was kept).";
    sent: "Đã gửi bài chờ duyệt.", "The post was sent for approval.";
    published_notice: "Đã đăng bài.", "The post is published.";
    scheduled_notice: "Đã hẹn giờ đăng bài.", "The post is scheduled.";
    unpublished_notice: "Đã gỡ bài.", "The post was taken down.";
    sent_back_notice: "Đã trả bài về cho biên tập viên.", "The post was sent back to its editors.";
    photo_saved: "Đã lưu ảnh.", "Photo saved.";
    // Editors' pages.
    editor_title: "Biên tập tin tức", "News editing";
    write_new: "Viết bài mới", "Write a post";
    edit_title: "Sửa bài", "Edit post";
    import_docx: "Nhập bài từ tệp DOCX/ODT", "Import a post from DOCX/ODT";
    import_help: "Nội dung, định dạng (đậm, nghiêng, danh sách, trích dẫn) và ảnh trong tệp được giữ lại; bài được tạo ở dạng bản nháp để bạn sửa, thêm chú thích ảnh rồi gửi duyệt.", "The text, its formatting (bold, italic, lists, quotes) and the pictures in the file are kept; the post is created as a draft for you to edit, caption its photos and send for approval.";
    document_label: "Tệp DOCX hoặc ODT", "DOCX or ODT file";
    title_optional: "Tiêu đề (để trống: lấy dòng đầu của tệp)", "Title (empty: the file's first line)";
    import_button: "Nhập bài", "Import";
    categories: "Chuyên mục", "Categories";
    category_name: "Tên chuyên mục", "Category name";
    add_category: "Thêm chuyên mục", "Add category";
    awaiting_heading: "Bài chờ duyệt", "Posts awaiting approval";
    none_awaiting: "Không có bài nào chờ duyệt.", "No post is awaiting approval.";
    posts_heading: "Bài của đơn vị", "The unit's posts";
    no_posts: "Chưa có bài nào.", "No posts yet.";
    title_label: "Tiêu đề", "Title";
    unit: "Đơn vị", "Unit";
    updated: "Cập nhật", "Updated";
    see_public: "Xem trang tin tức", "See the news pages";
    lead_label: "Sapo (đoạn mở đầu)", "Lead";
    body_label: "Nội dung", "Text";
    body_help: "Mỗi đoạn cách nhau một dòng trống. **đậm**, *nghiêng*, [chữ liên kết](https://…), dòng bắt đầu bằng \"- \" là danh sách, \"> \" là trích dẫn, \"## \" là tiêu đề nhỏ. Đặt ảnh số N vào bài bằng một dòng [[anh N]].", "Leave an empty line between paragraphs. **bold**, *italic*, [link text](https://…), lines starting with \"- \" make a list, \"> \" a quote, \"## \" a subheading. Place photo N with a line [[anh N]].";
    byline_label: "Tác giả (tên in cuối bài)", "Byline (name printed at the end)";
    source_label: "Đơn vị nguồn (không bắt buộc)", "Source unit (optional)";
    tags_label: "Từ khóa (cách nhau bởi dấu phẩy)", "Tags (separated by commas)";
    reports_on: "Bài viết về", "Reports on";
    reports_on_course: "Về lớp bồi dưỡng, tập huấn", "On the course";
    news_of_subject: "Tin bài", "News";
    published_on: "đăng lúc", "published";
    view_public: "Xem bài đã đăng", "View the published post";
    send_for_approval: "Gửi duyệt", "Send for approval";
    publish_at: "Hẹn giờ đăng (để trống: đăng ngay; dd/mm/yyyy hh:mm)", "Publish at (empty: now; dd/mm/yyyy hh:mm)";
    publish: "Duyệt và đăng", "Approve and publish";
    send_back: "Trả lại biên tập viên", "Send back to the editors";
    unpublish: "Gỡ bài", "Take down";
    photos: "Ảnh", "Photos";
    photo_pending: "(đang xử lý ảnh…)", "(processing…)";
    cover: "ảnh đại diện", "cover";
    caption_label: "Chú thích ảnh", "Caption";
    alt_label: "Mô tả ảnh cho người khiếm thị (bắt buộc trước khi đăng)", "Alt text (required before publishing)";
    make_cover: "Dùng làm ảnh đại diện", "Use as the cover";
    save_photo: "Lưu chú thích", "Save caption";
    add_photo: "Thêm ảnh (JPEG, PNG, WebP; tối đa 20 MB)", "Add a photo (JPEG, PNG, WebP; at most 20 MB)";
    photo_help: "Ảnh được thu nhỏ thành nhiều cỡ và xóa thông tin EXIF, GPS trước khi đăng.", "Photos are resized to several widths, with EXIF and GPS data removed, before they are shown.";
    upload_photo: "Tải ảnh lên", "Upload photo";
    revisions_title: "Các phiên bản của bài", "Revisions";
    from_revision: "Từ phiên bản", "From revision";
    to_revision: "đến phiên bản", "to revision";
    compare: "So sánh", "Compare";
    diff_legend: "Đoạn bị xóa được gạch ngang, đoạn thêm mới được tô màu.", "Removed paragraphs are struck through, added ones highlighted.";
    all_revisions: "Tất cả phiên bản", "All revisions";
    // Readers' pages.
    search_title: "Tìm kiếm tin tức", "Search the news";
    search_label: "Từ khóa tìm kiếm", "Search words";
    search_button: "Tìm", "Search";
    no_results: "Không tìm thấy bài nào.", "No post found.";
    pages_label: "Trang", "Pages";
    newer: "Mới hơn", "Newer";
    older: "Cũ hơn", "Older";
    feed: "Theo dõi bằng Atom/RSS", "Follow with Atom/RSS";
    same_category: "Tin cùng chuyên mục", "More in this category";
    other_news: "Tin khác", "Other news";
    all_news: "Xem tất cả tin tức", "All news";
    editor_link: "Biên tập tin tức", "News editing";
}

formats! {
    revisions_link(n): "{n} phiên bản", "{n} revisions";
    photo_n(n): "Ảnh {n}", "Photo {n}";
    page_of(page, pages): "Trang {page}/{pages}", "Page {page} of {pages}";
}
