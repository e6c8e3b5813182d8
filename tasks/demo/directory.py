"""The demo department directory of 云川市: (official name, short name, aliases, kind)."""

from departments.choices import DepartmentKind as K

OFFICE = "云川市数字政府建设领导小组办公室"
GOVERNMENT = "云川市人民政府"

DEPARTMENTS: list[tuple[str, str, list[str], str]] = [
    ("市发展和改革委员会", "市发改委", ["市发展改革委"], K.BUREAU),
    ("市工业和信息化局", "市工信局", ["市工业和信息化委员会"], K.BUREAU),
    ("市财政局", "", [], K.BUREAU),
    ("市商务局", "", [], K.BUREAU),
    ("市科学技术局", "市科技局", [], K.BUREAU),
    ("市自然资源局", "", ["市自然资源和规划局"], K.BUREAU),
    ("市生态环境局", "", [], K.BUREAU),
    ("市住房和城乡建设局", "市住建局", [], K.BUREAU),
    ("市人力资源和社会保障局", "市人社局", [], K.BUREAU),
    ("市市场监督管理局", "市市场监管局", [], K.BUREAU),
    ("市政务服务管理局", "市政务服务局", ["市行政审批局"], K.BUREAU),
    ("市数据管理局", "市数据局", ["市大数据中心"], K.BUREAU),
    ("市教育局", "", [], K.BUREAU),
    ("市卫生健康委员会", "市卫健委", [], K.BUREAU),
    ("市交通运输局", "市交通局", [], K.BUREAU),
    ("市公安局", "", [], K.BUREAU),
    ("市统计局", "", [], K.BUREAU),
    ("国家税务总局云川市税务局", "市税务局", [], K.BUREAU),
    ("中共云川市委组织部", "市委组织部", [], K.BUREAU),
    ("中共云川市委机构编制委员会办公室", "市委编办", ["市编办"], K.BUREAU),
    ("市司法局", "", [], K.BUREAU),
    ("市应急管理局", "市应急局", [], K.BUREAU),
    ("东湖区人民政府", "东湖区政府", [], K.COUNTY),
    ("西山区人民政府", "西山区政府", [], K.COUNTY),
    ("南溪县人民政府", "南溪县政府", [], K.COUNTY),
    ("北岭县人民政府", "北岭县政府", [], K.COUNTY),
    ("青田市人民政府", "青田市政府", [], K.COUNTY),
    ("云川高新技术产业开发区管理委员会", "云川高新区管委会", ["高新区管委会"], K.ZONE),
    ("云川经济技术开发区管理委员会", "云川经开区管委会", ["经开区管委会"], K.ZONE),
    ("云川市城市发展投资集团有限公司", "市城投集团", [], K.COMPANY),
    (OFFICE, "领导小组办公室", ["市数字政府办"], K.OTHER),
    (GOVERNMENT, "市政府", [], K.OTHER),
]

# Collectives as documents write them, and the members each one expands to.
GROUPS: list[tuple[str, list[str], list[str]]] = [
    (
        "各县(市、区)人民政府",
        ["各县(市、区)政府"],
        ["东湖区人民政府", "西山区人民政府", "南溪县人民政府", "北岭县人民政府", "青田市人民政府"],
    ),
    ("各开发区管理委员会", ["各开发区"], ["云川高新技术产业开发区管理委员会", "云川经济技术开发区管理委员会"]),
]
