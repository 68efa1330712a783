"""SQLAlchemy models, one concept per module."""

from fieldkit.models.activity import Activity, ActivityStatus, LocationSource
from fieldkit.models.allocation import Allocation
from fieldkit.models.area import Area, AreaStat
from fieldkit.models.audit import AuditEvent
from fieldkit.models.banner import Banner, BannerInspection, InspectionPhoto
from fieldkit.models.coverage_rollup import CoverageRollup, CoverageRollupState
from fieldkit.models.login_counter import LoginCounter
from fieldkit.models.organization import Organization
from fieldkit.models.photo import Photo
from fieldkit.models.role_model import RoleModel
from fieldkit.models.signin_code import SigninCode
from fieldkit.models.submission import ReportSubmission, SubmissionState
from fieldkit.models.target import Target
from fieldkit.models.token import ApiToken
from fieldkit.models.user import Role, User

__all__ = [
    "Activity",
    "ActivityStatus",
    "Allocation",
    "ApiToken",
    "Area",
    "AreaStat",
    "AuditEvent",
    "Banner",
    "BannerInspection",
    "CoverageRollup",
    "CoverageRollupState",
    "InspectionPhoto",
    "LocationSource",
    "LoginCounter",
    "Organization",
    "Photo",
    "ReportSubmission",
    "Role",
    "RoleModel",
    "SigninCode",
    "SubmissionState",
    "Target",
    "User",
]


def init_app(app) -> None:
    """Set SQLite's per-connection pragmas (WAL, foreign keys, busy timeout)."""
    from fieldkit.models import sqlite

    sqlite.init_app(app)
