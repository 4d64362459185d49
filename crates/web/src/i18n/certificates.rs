//! Texts of certificates: the public verification page of every kind of certificate.

catalogue! {
    verify_h1: "Xác minh giấy chứng nhận", "Certificate check";
    valid_before: "Giấy chứng nhận", "Certificate";
    valid_after: "hợp lệ, do hệ thống cấp.", "is valid, issued by this system.";
    unknown: "Mã không tồn tại", "This code does not exist";
    unknown_help: "Không có giấy chứng nhận nào mang mã này. Hãy kiểm tra lại mã in ở góc giấy chứng nhận (dạng GCN-XXXXXXXXXX).", "No certificate has this code. Check the code printed in the corner of the certificate (GCN-XXXXXXXXXX).";
    issued_to: "Cấp cho", "Issued to";
    unit: "Đơn vị", "Unit";
    issued_on: "Ngày cấp", "Issued on";
    view_pdf: "Xem giấy chứng nhận (PDF)", "View the certificate (PDF)";
    // Kinds, and what each lists (`certificates::service::view`; the API gives both languages).
    kind_award: "Giấy chứng nhận đạt giải", "Award certificate";
    kind_course_completion: "Giấy chứng nhận hoàn thành lớp bồi dưỡng", "Course completion certificate";
    kind_other: "Giấy chứng nhận", "Certificate";
    award: "Giải", "Award";
    entry: "Tác phẩm", "Entry";
    contest: "Cuộc thi", "Contest";
    course: "Lớp bồi dưỡng", "Course";
    dates: "Thời gian", "Dates";
    place: "Địa điểm", "Place";
    held_by: "Đơn vị tổ chức", "Held by";
}

formats! {
    verify_title(code): "Xác minh giấy chứng nhận {code}", "Certificate check {code}";
    revoked(code): "Giấy chứng nhận {code} đã bị thu hồi.", "Certificate {code} has been revoked.";
}
