"""The names of the province demo (tasks.demo.province): 云岭省, its bureaus, its prefecture-level
cities (设区市) with their bureaus, development zones and counties, the counties' bureaus, and
its leading groups. All fictional, written the way provincial directories write them; the
small demo's 云川市 is the provincial capital, and its directory stays as it is.

``directory(rng, size)`` lays the whole tree out; ``size`` (0–1) shrinks every level of it
alike, so that a test province still has bureaus, cities and counties."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from departments.choices import DepartmentKind as K

PROVINCE = "云岭省"
GOVERNMENT = "云岭省人民政府"  # leadership (领导) of the province
SUPERVISION = "云岭省人民政府督查室"  # the province's supervision office: its reviewers see every group
GENERAL_OFFICE = "云岭省人民政府办公厅"
CITY_GOVERNMENTS = "各设区市人民政府"  # the collective province documents assign work to

# (official name, short name); the first ones seat the leading groups' offices.
BUREAUS = [
    ("省发展和改革委员会", "省发展改革委"), ("省政务服务和数据管理局", "省政数局"), ("省农业农村厅", ""),
    ("省生态环境厅", ""), ("省科学技术厅", "省科技厅"), ("省应急管理厅", "省应急厅"), ("省教育厅", ""),
    ("省工业和信息化厅", "省工信厅"), ("省民族宗教事务委员会", "省民宗委"), ("省公安厅", ""), ("省民政厅", ""),
    ("省司法厅", ""), ("省财政厅", ""), ("省人力资源和社会保障厅", "省人社厅"), ("省自然资源厅", ""),
    ("省住房和城乡建设厅", "省住建厅"), ("省交通运输厅", "省交通厅"), ("省水利厅", ""), ("省商务厅", ""),
    ("省文化和旅游厅", "省文旅厅"), ("省卫生健康委员会", "省卫健委"), ("省退役军人事务厅", ""), ("省审计厅", ""),
    ("省人民政府外事办公室", "省外办"), ("省人民政府国有资产监督管理委员会", "省国资委"),
    ("省市场监督管理局", "省市场监管局"), ("省广播电视局", ""), ("省体育局", ""), ("省统计局", ""),
    ("省医疗保障局", "省医保局"), ("省机关事务管理局", ""), ("省地方金融管理局", ""), ("省林业局", ""),
    ("省乡村振兴局", ""), ("省信访局", ""), ("省粮食和物资储备局", ""), ("省能源局", ""), ("省监狱管理局", ""),
    ("省药品监督管理局", "省药监局"), ("省知识产权局", ""), ("省人民防空办公室", "省人防办"),
    ("省供销合作社联合社", "省供销社"), ("省气象局", ""), ("国家税务总局云岭省税务局", "省税务局"),
    ("省通信管理局", ""), ("省邮政管理局", ""), ("省消防救援总队", ""), ("中共云岭省委组织部", "省委组织部"),
    ("中共云岭省委宣传部", "省委宣传部"), ("中共云岭省委统战部", "省委统战部"), ("中共云岭省委政法委员会", "省委政法委"),
    ("中共云岭省委网络安全和信息化委员会办公室", "省委网信办"), ("中共云岭省委机构编制委员会办公室", "省委编办"),
    ("省总工会", ""), ("共青团云岭省委员会", "团省委"), ("省妇女联合会", "省妇联"), ("省科学技术协会", "省科协"),
    ("省残疾人联合会", "省残联"), ("省工商业联合会", "省工商联"), ("省高级人民法院", "省高院"),
    ("省人民检察院", "省检察院"), ("省社会科学院", "省社科院"), ("省地质局", ""), ("省文物局", ""),
    ("省中医药管理局", ""), ("省疾病预防控制局", ""),
]
# (name, short name, index of the bureau that seats its office)
GROUPS = [
    ("云岭省优化营商环境领导小组", "省营商环境领导小组", 0),
    ("云岭省数字政府建设领导小组", "省数字政府领导小组", 1),
    ("云岭省乡村振兴领导小组", "省乡村振兴领导小组", 2),
    ("云岭省生态文明建设领导小组", "省生态文明领导小组", 3),
    ("云岭省科技创新领导小组", "省科技创新领导小组", 4),
    ("云岭省安全生产工作领导小组", "省安全生产领导小组", 5),
]
# A city's bureaus: (name after the city's, short form or "").
CITY_BUREAUS = [
    ("发展和改革委员会", "发改委"), ("教育局", ""), ("科学技术局", "科技局"), ("工业和信息化局", "工信局"),
    ("公安局", ""), ("民政局", ""), ("司法局", ""), ("财政局", ""), ("人力资源和社会保障局", "人社局"),
    ("自然资源和规划局", "自然资源局"), ("生态环境局", ""), ("住房和城乡建设局", "住建局"), ("交通运输局", "交通局"),
    ("水利局", ""), ("农业农村局", ""), ("商务局", ""), ("文化广电旅游局", "文广旅局"), ("卫生健康委员会", "卫健委"),
    ("退役军人事务局", ""), ("应急管理局", "应急局"), ("审计局", ""), ("人民政府国有资产监督管理委员会", "国资委"),
    ("市场监督管理局", "市场监管局"), ("体育局", ""), ("统计局", ""), ("医疗保障局", "医保局"), ("林业局", ""),
    ("城市管理局", "城管局"), ("政务服务管理局", "政务服务局"), ("数据局", ""), ("信访局", ""), ("乡村振兴局", ""),
    ("机关事务管理局", ""), ("人民防空办公室", "人防办"), ("地方金融管理局", "金融局"), ("粮食和物资储备局", "粮储局"),
]
CITY_ZONES = [("经济技术开发区管理委员会", "经开区管委会"), ("高新技术产业开发区管理委员会", "高新区管委会")]
COUNTY_BUREAUS = [
    "发展和改革局", "教育体育局", "科技和工业信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电旅游局", "卫生健康局",
    "应急管理局", "市场监督管理局", "审计局", "统计局", "医疗保障局", "林业局",
]
CITY_FIRST = "临青金龙凤安永长宁丰嘉瑞昌"  # one city per character: its documents are numbered 临府发〔…〕
CITY_SECOND = "江州阳山源平城沙宁德兴泉川"
COUNTY_FIRST = "东西南北上中大新高石白黄清和乐丰广平福通"
COUNTY_SECOND = "山水林川阳江溪河湖桥源岭田峰城安宁化远丰"
COUNTIES_PER_CITY = 8  # two districts (区), one county-level city (市), the rest counties (县)


@dataclass(frozen=True, slots=True)
class Unit:
    """A department of the province as the generator writes it."""

    name: str
    short_name: str
    kind: str
    parent: str | None  # the unit above it (a city's or a county's government)
    area: str  # whose documents give it work: PROVINCE, a city or a county
    works: bool = True  # False: a seat (government, supervision office) or a collective, never assigned


@dataclass
class Area:
    """A government that issues documents: its name, how its documents are numbered (云政发〔2025〕3号,
    云政办发 when its general office issues them) and the units its documents give work to."""

    name: str
    level: str  # "province", "city" or "county"
    issuer: str  # the government; its office is "办公厅" (the province) or "办公室"
    prefix: str  # 云政, 临府, 青山府
    units: list[str]
    collective: str | None = None  # 各县(市、区)人民政府 / 各设区市人民政府: one assignment per member
    members: list[str] = field(default_factory=list)
    word: str = "发"
    unit_ids: list[int] = field(default_factory=list)  # resolved once the units are written
    member_ids: list[int] = field(default_factory=list)

    @property
    def office(self) -> str:
        return self.issuer + ("办公厅" if self.name == PROVINCE else "办公室")


def sized(full: int, size: float, least: int) -> int:
    return max(least, round(full * size))


def directory(rng: random.Random, size: float, taken: set[str]) -> tuple[list[Unit], list[Area]]:
    """Every generated unit, parents first, and the areas that issue documents. Each level shrinks
    by the cube root of ``size`` (there are three levels), so the count of units follows ``size``.
    No city or county takes a name in ``taken`` (the directory already there)."""
    level = size ** (1 / 3)
    units = [Unit(GOVERNMENT, "省政府", K.OTHER, None, PROVINCE, works=False),
             Unit(SUPERVISION, "省政府督查室", K.OTHER, GOVERNMENT, PROVINCE, works=False),
             Unit(GENERAL_OFFICE, "省政府办公厅", K.BUREAU, GOVERNMENT, PROVINCE)]
    bureaus = BUREAUS[:sized(len(BUREAUS), level, len(GROUPS))]
    units += [Unit(name, short, K.BUREAU, None, PROVINCE) for name, short in bureaus]
    province = Area(PROVINCE, "province", GOVERNMENT, "云政", [GENERAL_OFFICE, *(name for name, _ in bureaus)],
                    collective=CITY_GOVERNMENTS)
    areas = [province]
    cities = _cities(rng, sized(len(CITY_FIRST), level, 2), taken)
    stems = [a + b for a in COUNTY_FIRST for b in COUNTY_SECOND
             if not any(city.startswith(a + b) for city in cities) and f"{a}{b}区人民政府" not in taken
             and f"{a}{b}县人民政府" not in taken and f"{a}{b}市人民政府" not in taken]
    rng.shuffle(stems)
    for city in cities:
        government = f"{city}人民政府"
        units.append(Unit(government, f"{city}政府", K.OTHER, None, city))
        province.members.append(government)
        area = Area(city, "city", government, f"{city[0]}府", [], collective=f"{city}各县(市、区)人民政府")
        for name, short in CITY_BUREAUS[:sized(len(CITY_BUREAUS), level, 3)]:
            units.append(Unit(f"{city}{name}", f"{city}{short}" if short else "", K.BUREAU, government, city))
        for name, short in CITY_ZONES[:sized(len(CITY_ZONES), level, 1)]:
            units.append(Unit(f"{city[:-1]}{name}", f"{city[:-1]}{short}", K.ZONE, government, city))
        area.units = [unit.name for unit in units if unit.area == city and unit.kind != K.OTHER]
        areas.append(area)
        for n in range(sized(COUNTIES_PER_CITY, level, 1)):
            stem = stems.pop()
            county = stem + ("区" if n < 2 else "市" if n == 2 else "县")
            county_government = f"{county}人民政府"
            units.append(Unit(county_government, f"{county}政府", K.COUNTY, government, city))
            area.units.append(county_government)
            area.members.append(county_government)
            here = [Unit(f"{county}{name}", "", K.BUREAU, county_government, county)
                    for name in COUNTY_BUREAUS[:sized(len(COUNTY_BUREAUS), level, 2)]]
            units += here
            areas.append(Area(county, "county", county_government, f"{stem}府", [unit.name for unit in here]))
        units.append(Unit(area.collective, "", K.GROUP, None, city, works=False))
    units.append(Unit(CITY_GOVERNMENTS, "各设区市政府", K.GROUP, None, PROVINCE, works=False))
    return units, areas


def _cities(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` city names, each with a first character of its own (its documents' prefix)."""
    seconds = list(CITY_SECOND)
    rng.shuffle(seconds)
    cities = []
    for first in CITY_FIRST[:count]:
        second = next(s for s in seconds if f"{first}{s}市人民政府" not in taken)
        seconds.remove(second)
        cities.append(f"{first}{second}市")
    return cities
