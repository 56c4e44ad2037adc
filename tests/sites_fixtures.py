"""A small site group for the tests: the city's main site and 七星区 on its own host."""

from dataclasses import dataclass

import pytest

from articles.models import Article, Site, SiteSettings, SiteStaff
from tests.conftest import make_article, make_channel, make_source
from tests.roles import make_user

QIXING = "qixing.localhost"
GONGCHENG = "gongcheng.localhost"


@dataclass
class Group:
    main: Site
    qixing: Site
    gongcheng: Site
    news: object  # 新闻廉播, shared, carried by the counties
    jiceng: object  # 清廉之窗 > 基层风采, shared, not carried
    qixing_news: object  # 七星动态, 七星区's own
    city_article: Article
    county_article: Article


def make_county(name, host, source_name, carried, site_name):
    site = Site.objects.create(name=name, hosts=host, source=make_source(source_name))
    site.carried_channels.set(carried)
    SiteSettings.objects.create(site=site, site_name=site_name)
    return site


def staff_of(site, role, username=None):
    user = make_user(role, username)
    SiteStaff.objects.create(user=user, site=site)
    return user


@pytest.fixture
def group(db):
    main = Site.main()
    settings = SiteSettings.load()
    settings.site_name = "清廉桂林"
    settings.save()
    news = make_channel("新闻廉播", "xinwen")
    window = make_channel("清廉之窗", "qinglian")
    jiceng = make_channel("基层风采", "jiceng", parent=window)
    qixing = make_county("七星区", QIXING, "七星区纪委监委", [news], "清廉七星")
    gongcheng = make_county("恭城", GONGCHENG, "恭城瑶族自治县纪委监委", [news], "清廉恭城")
    qixing_news = make_channel("七星动态", "qixing-dongtai", site=qixing)
    make_channel("恭城动态", "gongcheng-dongtai", site=gongcheng)
    city_article = make_article("市纪委监委召开全会", news)
    county_article = make_article(
        "七星区：开展新提任干部廉政谈话", qixing_news, site=qixing, source=qixing.source
    )
    make_article("基层风采的市里文章", jiceng)
    return Group(main, qixing, gongcheng, news, jiceng, qixing_news, city_article, county_article)
