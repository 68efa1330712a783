"""The Vietnamese text of demo activities: topics, slogans, materials, speakers, notes and review comments."""

# Common Mekong Delta hamlet names, for places inside a commune.
HAMLETS = [
    "Thạnh Lợi",
    "Tân Phú",
    "Phú Lợi",
    "Hòa Long",
    "Mỹ Hưng",
    "An Thạnh",
    "Trà Canh",
    "Bưng Cốc",
    "Xóm Chòi",
    "Phước Hòa",
    "Long Thạnh",
    "Tân Hiệp",
    "Mỹ Phước",
    "Thới Hòa",
    "Vĩnh Lộc",
    "Kinh Mới",
]
TOPICS = {
    "talk": [
        "Tuyên truyền chính sách giảm nghèo bền vững tại {place}",
        "Đối thoại chính sách với hộ nghèo, hộ cận nghèo {place}",
        "Nói chuyện chuyên đề: chuẩn nghèo đa chiều giai đoạn 2022–2025",
        "Hội nghị biểu dương hộ vượt khó thoát nghèo {place}",
        "Hướng dẫn vay vốn Ngân hàng Chính sách xã hội cho hộ cận nghèo",
    ],
    "banner": [
        "Phong trào 'Vì người nghèo – Không để ai bị bỏ lại phía sau'",
        "Treo băng rôn hưởng ứng Chương trình MTQG giảm nghèo bền vững",
        "Pa-nô tuyên truyền giảm nghèo tại {place}",
    ],
    "leaflet": [
        "Phát tờ rơi chính sách hỗ trợ hộ nghèo tại {place}",
        "Cấp phát tài liệu hỏi – đáp về giảm nghèo bền vững",
        "Phát tờ gấp hướng dẫn đăng ký học nghề, việc làm",
    ],
    "broadcast": [
        "Phát thanh tin giảm nghèo bền vững trên loa {place}",
        "Truyền thanh cơ sở: gương hộ thoát nghèo {place}",
        "Phát lại bài tuyên truyền Kế hoạch 159/KH-UBND",
    ],
    "media": [
        "Bài viết: chung tay vì người nghèo",
        "Phóng sự: giảm nghèo bền vững ở vùng nông thôn",
        "Clip: gương hộ thoát nghèo nhờ chăn nuôi",
    ],
}
SLOGANS = [
    "Chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
    "Giảm nghèo bền vững là trách nhiệm của cả hệ thống chính trị và toàn xã hội",
    "Hộ nghèo tự lực vươn lên thoát nghèo bền vững",
]
MATERIALS = [
    "Tờ gấp: chuẩn nghèo đa chiều giai đoạn 2022–2025",
    "Sổ tay chính sách giảm nghèo bền vững",
    "Tờ rơi: vay vốn Ngân hàng Chính sách xã hội",
    "Tài liệu hỏi – đáp Chương trình MTQG giảm nghèo",
]
SPEAKERS = [
    "Phó Chủ tịch UBND {unit}",
    "Chủ tịch Ủy ban MTTQ Việt Nam {unit}",
    "Chủ tịch Hội Nông dân {unit}",
    "Cán bộ Sở Nông nghiệp và Môi trường",
    "Cán bộ Ngân hàng Chính sách xã hội",
]
NOTES = [
    "",
    "",
    "",
    "",
    "Trời mưa, số người dự ít hơn dự kiến.",
    "Phát kèm tờ rơi cho hộ cận nghèo.",
    "Kết hợp sinh hoạt tổ tự quản.",
    "Bà con đề nghị tổ chức thêm buổi đối thoại.",
]
REVIEW_COMMENTS = [
    "Đề nghị bổ sung ảnh minh chứng.",
    "Số người tham dự chưa khớp với biên bản, đề nghị kiểm tra lại.",
    "Vị trí GPS nằm ngoài địa bàn, đề nghị xác nhận lại.",
    "Đề nghị ghi rõ tên ấp nơi tổ chức.",
]
LINKS = {
    "press": "https://baocantho.com.vn/giam-ngheo-ben-vung-a{n}.html",
    "radio_tv": "https://canthotv.vn/giam-ngheo-ben-vung-{n}",
    "web": "https://cantho.gov.vn/tin-tuc/giam-ngheo-{n}",
    "social": "https://cantho.gov.vn/mang-xa-hoi/giam-ngheo-{n}",
}
