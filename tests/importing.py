"""A small department directory for import tests, and the fixture document's text."""

from pathlib import Path

from departments.choices import DepartmentKind
from departments.models import Department, DepartmentAlias

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLAN_TEXT = (FIXTURES / "elderly_care_plan.txt").read_text(encoding="utf-8")


def make_directory() -> dict[str, Department]:
    """Every unit of the fixture document except 市教科体局; 市科教体局 exists and must not be
    taken for it without the admin saying so."""
    made = {}
    for name, short in [
        ("市民政局", ""), ("市发展和改革委员会", "市发改委"), ("市自然资源局", ""), ("市商务局", ""),
        ("市市场监督管理局", "市市场监管局"), ("市财政局", ""), ("市人力资源和社会保障局", "市人社局"),
        ("市科学技术和教育体育局", "市科教体局"),
    ]:
        made[short or name] = Department.objects.get_or_create(name=name, defaults={"short_name": short})[0]
    DepartmentAlias.objects.get_or_create(name="市发展改革委", department=made["市发改委"])
    group = Department.objects.get_or_create(name="各县(市、区)人民政府", kind=DepartmentKind.GROUP)[0]
    DepartmentAlias.objects.get_or_create(name="各县(市、区)政府", department=group)
    made["各县(市、区)政府"] = group
    return made
