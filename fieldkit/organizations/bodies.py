"""The bodies Plan 159/KH-UBND (Can Tho, 19/11/2025) assigns its communication work to, besides the communes.

The Department of Agriculture and Environment leads and consolidates; the others carry out and report. The codes
are short Vietnamese abbreviations, as the city's documents write them; each commune's People's Committee is
added from the communes stored (UBND-<commune code>).
"""

from typing import NamedTuple


class Body(NamedTuple):
    """One seeded body: code, Vietnamese and English names, kind (vocabulary.ORG_KINDS)."""

    code: str
    name_vi: str
    name_en: str
    kind: str


LEAD = "SNNMT"

PLAN_BODIES = (
    Body(LEAD, "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "department"),
    Body("STC", "Sở Tài chính", "Department of Finance", "department"),
    Body("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism", "department"),
    Body("SNV", "Sở Nội vụ", "Department of Home Affairs", "department"),
    Body("SDTTG", "Sở Dân tộc và Tôn giáo", "Department of Ethnic and Religious Affairs", "department"),
    Body("SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "department"),
    Body("SYT", "Sở Y tế", "Department of Health", "department"),
    Body("SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "department"),
    Body("BAOCT", "Báo Cần Thơ", "Can Tho newspaper", "press"),
    Body("PTTHCT", "Đài Phát thanh và Truyền hình thành phố Cần Thơ", "Can Tho Radio and Television", "press"),
    Body(
        "MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ",
        "Viet Nam Fatherland Front Committee of Can Tho City",
        "mass_organisation",
    ),
    Body("HLHPN", "Hội Liên hiệp Phụ nữ thành phố", "City Women's Union", "mass_organisation"),
    Body("HND", "Hội Nông dân thành phố", "City Farmers' Association", "mass_organisation"),
    Body("DTN", "Thành Đoàn Cần Thơ", "Ho Chi Minh Communist Youth Union of Can Tho", "mass_organisation"),
    Body("HCCB", "Hội Cựu chiến binh thành phố", "City Veterans' Association", "mass_organisation"),
)
