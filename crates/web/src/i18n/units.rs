//! Texts of the unit pages: the tree, a unit, the import from a file.

catalogue! {
    title: "Đơn vị", "Units";
    intro: "Cây đơn vị bạn được quản lý.", "The units you manage.";
    code_label: "Mã đơn vị", "Unit code";
    name_label: "Tên đơn vị", "Unit name";
    kind_label: "Loại đơn vị", "Kind of unit";
    parent_label: "Đơn vị cấp trên", "Parent unit";
    headcount_label: "Số cán bộ, đảng viên, hội viên (nếu biết)", "Headcount (if known)";
    new_title: "Thêm đơn vị", "Add a unit";
    edit_title: "Sửa đơn vị", "Edit unit";
    children: "Đơn vị trực thuộc", "Sub-units";
    users: "Người dùng của đơn vị", "Users of this unit";
    delete: "Xóa đơn vị", "Delete unit";
    created: "Đã thêm đơn vị.", "Unit added.";
    saved: "Đã lưu đơn vị.", "Unit saved.";
    deleted: "Đã xóa đơn vị.", "Unit deleted.";
    import_title: "Nhập đơn vị từ tệp", "Import units from a file";
    import_help: "Tệp CSV (UTF-8) hoặc Excel (.xlsx) với các cột: ma, ten, loai, ma_cap_tren, so_nguoi (tùy chọn). Dòng đầu là tiêu đề. Loại: trung_uong, tinh, huyen, xa, co_quan, to_chuc, chi_bo, khac.", "A CSV (UTF-8) or Excel (.xlsx) file with columns: code, name, kind, parent_code, headcount (optional). The first row is the header. Kinds: trung_uong, tinh, huyen, xa, co_quan, to_chuc, chi_bo, khac.";
    import_file_label: "Tệp CSV hoặc XLSX", "CSV or XLSX file";
    import_button: "Nhập", "Import";
    import_done: "Đã nhập xong", "Import finished";
    import_errors: "Tệp có lỗi, chưa nhập dòng nào. Sửa các dòng sau rồi thử lại:", "The file has errors; nothing was imported. Fix these rows and try again:";
    import_no_file: "Vui lòng chọn tệp.", "Please choose a file.";
    // Kinds of unit (`units::KINDS`).
    kind_trung_uong: "Trung ương", "Centre";
    kind_tinh: "Tỉnh, thành phố", "Province";
    kind_huyen: "Huyện, quận, thị xã", "District";
    kind_xa: "Xã, phường, thị trấn", "Commune";
    kind_co_quan: "Cơ quan", "Agency";
    kind_to_chuc: "Tổ chức, đoàn thể", "Organization";
    kind_chi_bo: "Chi bộ, chi đoàn", "Cell";
    kind_khac: "Khác", "Other";
}
