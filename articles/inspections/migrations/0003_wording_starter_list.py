"""A starter list of wording errors (错敏字), written for this project.

Only forms that are wrong wherever they appear: mistyped or mis-ordered formal terms
of the Party's discipline-inspection work, and names of institutions renamed in the
2018 reform of Party and state institutions, written as their current names (those
are "一般": an article about the past may name the old body on purpose).
Administrators add, change or switch off entries under 网站检查 → 错敏词.
"""

from django.db import migrations

SEVERE = "severe"
GENERAL = "general"

RULES = [
    ("全面从严冶党", "全面从严治党", SEVERE, "“治”误作“冶”"),
    ("从严冶党", "从严治党", SEVERE, "“治”误作“冶”"),
    ("党风廉正建设", "党风廉政建设", SEVERE, "“政”误作“正”"),
    ("中央八项规定精升", "中央八项规定精神", SEVERE, "“神”误作“升”"),
    ("八项归定", "八项规定", SEVERE, "“规”误作“归”"),
    ("中国特色社会主意", "中国特色社会主义", SEVERE, "“义”误作“意”"),
    ("中华民族伟大复新", "中华民族伟大复兴", SEVERE, "“兴”误作“新”"),
    ("社会主义核心价值关", "社会主义核心价值观", SEVERE, "“观”误作“关”"),
    ("总书纪", "总书记", SEVERE, "“记”误作“纪”"),
    ("纪检监查", "纪检监察", SEVERE, "“察”误作“查”"),
    ("监查委员会", "监察委员会", SEVERE, "“察”误作“查”"),
    ("国家监委中央纪委", "中央纪委国家监委", SEVERE, "合署办公的机构名称，纪委在前"),
    ("监委纪委", "纪委监委", SEVERE, "纪委在前、监委在后"),
    ("牢记使命、不忘初心", "不忘初心、牢记使命", SEVERE, "主题教育的表述，次序颠倒"),
    ("邓小平理论、毛泽东思想", "毛泽东思想、邓小平理论", SEVERE, "党的指导思想，次序颠倒"),
    ("大局意识、政治意识", "政治意识、大局意识", SEVERE, "“四个意识”的次序"),
    ("理论自信、道路自信", "道路自信、理论自信", SEVERE, "“四个自信”的次序"),
    ("中纪委", "中央纪委", GENERAL, "正式文稿用规范简称“中央纪委”"),
    ("国家卫生和计划生育委员会", "国家卫生健康委员会", GENERAL, "2018 年机构改革后的名称"),
    ("国家卫生计生委", "国家卫生健康委", GENERAL, "2018 年机构改革后的名称"),
    ("国家工商行政管理总局", "国家市场监督管理总局", GENERAL, "2018 年机构改革后组建"),
    ("国土资源部", "自然资源部", GENERAL, "2018 年机构改革后组建"),
    ("环境保护部", "生态环境部", GENERAL, "2018 年机构改革后组建"),
    ("国家旅游局", "文化和旅游部", GENERAL, "2018 年机构改革后组建"),
]


def add_rules(apps, schema_editor):
    WordingRule = apps.get_model("inspections", "WordingRule")
    for wrong, right, severity, note in RULES:
        WordingRule.objects.get_or_create(
            wrong=wrong, defaults={"right": right, "severity": severity, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_freshness_limits_and_roles")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
