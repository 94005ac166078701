"""Words residents use for what they need, offer or fear, compiled once into regexes.

Everything here matches *normalised* text (see :func:`normalise`): simplified characters,
half-width digits and punctuation, lower case. Traditional input is folded to simplified with a
character table taken from OpenCC's own dictionary, which is ~100x faster than a full OpenCC
conversion and good enough for keyword matching; dialect words (俺/咱/阿拉/侬/屋头) and English
sit next to Mandarin in the same lists.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

MAX_CHARS = 2000
"""Only the head of a message is analysed: nobody hides a request after 2,000 characters."""

# --- normalisation ---------------------------------------------------------------------------------------
_SPACES_RE = re.compile(r"\s{2,}")
_JUNK_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_MENTION_RE = re.compile(
    r"(?<![\w.])@(?:[A-Za-z0-9_]{2,32}\b|[^\s@\u2005:：,，。!！?？]{1,24}(?:[\u2005\s]|$|(?=[:：,，。!！?？])))"
)
"""An @name up to a space, or up to the punctuation after it ("@网格员小李：不是演习" keeps what was said)."""


def _load_t2s() -> tuple[dict[int, str], frozenset[str]]:
    """Builds a char→char fold table and the set of characters that only occur in traditional text."""
    try:
        import opencc

        path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError) as exc:  # pragma: no cover - packaging problem
        log.warning("no OpenCC character table (%s); traditional text is matched as is", exc)
        return {}, frozenset()
    table: dict[int, str] = {}
    simplified: set[str] = set()
    for line in lines:
        key, _, values = line.partition("\t")
        targets = values.split()
        if len(key) != 1 or not targets:
            continue
        simplified.update(targets)
        if targets[0] != key and len(targets[0]) == 1:
            table[ord(key)] = targets[0]
    trad_only = frozenset(chr(code) for code in table if chr(code) not in simplified)
    return table, trad_only


T2S_TABLE, TRAD_ONLY = _load_t2s()
# Variants OpenCC leaves alone but residents type.
T2S_TABLE.update({ord("週"): "周", ord("裏"): "里", ord("麽"): "么", ord("菸"): "烟"})


def strip_mentions(text: str) -> str:
    """Drops @bot / @某人 mentions so they do not read as words."""
    return _MENTION_RE.sub(" ", text)


def clean(text: str) -> str:
    """Caps length and removes control characters, lone surrogates and mentions (keeps the script)."""
    text = _JUNK_RE.sub(" ", text[:MAX_CHARS])
    text = strip_mentions(text)
    # One space per gap keeps every "\s*" in the lexicons linear on pathological input.
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFKC", text))


# Cantonese, Shanghainese and northern words folded to Mandarin so one lexicon serves all. Only
# characters that rarely occur in Mandarin trigger the (slower) phrase replacement.
_DIALECT: dict[str, str] = {
    "有冇": "有没有",
    "冇": "没",
    "咗": "了",
    "唔该": "谢谢",
    "得唔得": "行不行",
    "唔得": "不行",
    "唔": "不",
    "边个": "谁",
    "得闲": "有空",
    "识整": "会修",
    "识唔识": "会不会",
    "水喉": "水管",
    "屋企": "家里",
    "嘅": "的",
    "啲": "点",
    "乜嘢": "什么",
    "点样": "怎么",
    "帮手": "帮忙",
    "揾": "找",
    "睇": "看",
    "畀": "给",
    "俾": "给",
    "攞": "拿",
    "餸": "菜",
    "滴紧": "在滴",
    "侬": "你",
    "阿拉": "我",
    "伐": "吗",
    "勿": "不",
    "伊": "他",
    "寻唔到": "找不到",
    "屋里厢": "家里",
    "屋头": "家里",
    "讲闲话": "聊天",
    "物事": "东西",
    "辰光": "时候",
    "咋整": "怎么办",
    "瞅瞅": "看看",
    "瞅": "看",
    "啥子": "什么",
    "没得": "没有",
    "老汉": "老爸",
    "嘎哈": "干什么",
}
_DIALECT_RE = re.compile("|".join(sorted(map(re.escape, _DIALECT), key=len, reverse=True)))
_DIALECT_STRONG_RE = re.compile(
    r"[冇咗唔嘅啲乜揾睇畀俾攞餸侬伐勿瞅啥嘎]|边个|得闲|识整|水喉|屋企|屋头|屋里厢|阿拉|咋整|没得"
)


# Pinyin typed with tone marks ("wǒ mā shuāi le") reads as the same words without them.
_TONE_MARKS = str.maketrans(
    "āáǎàĀÁǍÀēéěèĒÉĚÈīíǐìĪÍǏÌōóǒòŌÓǑÒūúǔùŪÚǓÙǖǘǚǜüǕǗǙǛÜ", "aaaaAAAAeeeeEEEEiiiiIIIIooooOOOOuuuuUUUUvvvvvVVVVV"
)


def fold(text: str) -> str:
    """Folds cleaned text to simplified, lower-case Mandarin for matching (pinyin without tone marks)."""
    text = text.translate(T2S_TABLE).translate(_TONE_MARKS).lower()
    if _DIALECT_STRONG_RE.search(text):
        text = _DIALECT_RE.sub(lambda m: _DIALECT[m.group(0)], text)
    return text


_SCRIPT_CHANGE = re.compile(r"(?<=[\u3400-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u3400-\u9fff])")


def space_scripts(text: str) -> str:
    """Puts a space where Chinese meets Latin letters ("我妈chest pain"), so English cues find their
    word boundaries in folded text."""
    return _SCRIPT_CHANGE.sub(" ", text)


_SPELLED_OUT = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?: [\u3400-\u9fff]){2,}(?![\u3400-\u9fff])")


def join_spelled_out(text: str) -> str:
    """Joins characters typed one at a time with a space between ("摔 了 起 不 来" -> "摔了起不来"), as
    some elders and voice keyboards write, so cues made of several characters can find them."""
    return _SPELLED_OUT.sub(lambda run: run.group(0).replace(" ", ""), text)


def normalise(text: str) -> str:
    """Cleans and folds raw chat text in one step (for callers outside :mod:`understand`)."""
    return fold(clean(text))


_CN_NUM_CHARS = "零〇一二两三四五六七八九十"


# --- cue sets ------------------------------------------------------------------------------------------
_LATIN_RE = re.compile(r"[a-z]")
_ESCAPE_RE = re.compile(r"\\.|\[[^\]]*\]|\(\?[:=!<P][^)]*?\)?")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def has_latin(text: str) -> bool:
    """True when normalised text has ASCII letters, i.e. the English half of a cue set is worth running."""
    return _LATIN_RE.search(text) is not None


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """The characters of a regex outside escapes and character classes, each with its index and
    the group depth after it (a '(' counts inside, its ')' outside)."""
    depth, in_class, escaped = 0, False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            yield i, ch, depth


def _split_top(pattern: str) -> list[str]:
    """Splits a regex at its top-level '|' (outside groups and character classes)."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


class Cues:
    """A set of alternative phrases kept as a Chinese regex and an English one.

    English alternatives (word boundaries, many of them) are costly to try at every position of a
    Chinese message, so they only run when the message has Latin letters.
    """

    __slots__ = ("en", "zh")

    def __init__(self, *alternatives: str) -> None:
        zh: list[str] = []
        en: list[str] = []
        for alternative in alternatives:
            for part in _split_top(alternative):
                if not part:
                    raise ValueError(f"empty alternative in cue pattern {alternative!r}")
                bare = _ESCAPE_RE.sub("", part)
                is_en = not _CJK_RE.search(part) and _LATIN_RE.search(bare) is not None
                (en if is_en else zh).append(part)
        self.zh: re.Pattern[str] | None = compile_cues("|".join(zh)) if zh else None
        self.en: re.Pattern[str] | None = compile_cues("|".join(en)) if en else None

    def search(self, text: str, latin: bool = True) -> re.Match[str] | None:
        """First hit in the Chinese half, else in the English half."""
        hit = self.zh.search(text) if self.zh is not None else None
        if hit is None and latin and self.en is not None:
            hit = self.en.search(text)
        return hit

    def finditer(self, text: str, latin: bool = True) -> list[re.Match[str]]:
        """All hits, Chinese half first."""
        hits = list(self.zh.finditer(text)) if self.zh is not None else []
        if latin and self.en is not None:
            hits += self.en.finditer(text)
        return hits

    def count(self, text: str, latin: bool = True) -> int:
        """How many times the cues occur (non-overlapping)."""
        hits = len(self.zh.findall(text)) if self.zh is not None else 0
        if latin and self.en is not None:
            hits += len(self.en.findall(text))
        return hits

    def sub(self, repl: str, text: str, latin: bool = True) -> str:
        if self.zh is not None:
            text = self.zh.sub(repl, text)
        if latin and self.en is not None:
            text = self.en.sub(repl, text)
        return text


def _rx(*alternatives: str) -> Cues:
    return Cues(*alternatives)


# --- categories ------------------------------------------------------------------------------------------
# Weight 3 names the service itself, 2 is a strong hint, 1 a weak one. Chinese keywords are scanned
# left to right, longest first and without overlap, so "换药" (health) hides the "药" (medicine) inside
# it; weight-0 entries exist only to hide such words ("手机号" is not about phones, "检修" not a repair).
# Each word belongs to one line; if a word is listed twice, its first line wins.
_ZH_TABLE = """
shopping 3: 早市 带菜 买菜的 粮油 食用油 挂面 面粉 买菜 买点菜 买些菜 买米 买面 买油 买肉 买水果 买东西
shopping 3: 买点东西 买日用品 买生活用品 代购 团购 捎 超市 菜市场 菜场 菜市 便利店 米没了 米都没了
shopping 3: 米快没了 没米 买点 盒马 买个 买些 奶粉 尿不湿 纸尿裤 米面粮油
shopping 1: 排骨 鱼 虾 鸡 鸭 葱 姜 蒜 土豆 西红柿 白菜 萝卜 苹果 香蕉 橘子 馒头 水饺 买 大米 一桶油 鸡蛋
shopping 1: 牛奶 面包 卫生纸 洗衣粉 韭菜 肉馅 蔬菜 水果 青菜 豆腐 酱油 矿泉水 纸巾 面条
medicine 3: 阿莫西林 布洛芬 头孢 板蓝根 连花清瘟 硝酸甘油 阿司匹林 感冒灵 沙丁胺醇 喷雾 眼药水 药膏 碘伏
medicine 3: 创可贴 止咳糖浆 胶囊 颗粒 口服液 滴眼液 软膏 喷剂 含片 退烧贴 体温计 续方 处方 代开 药店
medicine 3: 药房 药吃完 药没了 药快 断药 买药 取药 拿药 配药 开药 降压药 降糖药 退烧药 感冒药 止痛药
medicine 3: 消炎药 胃药 心脏药 速效救心丸
medicine 2: 药
meals 3: 早餐 早饭 夜宵 外卖 助餐 送餐 下厨 饭菜 盒饭 午饭 晚饭 午餐 晚餐 多做一份 一份饭 食堂 送饭 做饭
meals 3: 打饭
meals 2: 饺子 馄饨 粥 汤圆 热饭 热菜 吃的
meals 1: 饭 热的
medical_escort 3: 陪诊 陪同就医 就医陪同 陪同 陪医
medical_escort 2: 陪床 陪护
medical_escort 1: 医院 看病 复查 看医生 挂号 挂个号 医生 门诊 化疗 透析 体检 急诊 卫生院 诊所
health 3: 包扎 包一下 止血 血压 血糖 换药 纱布 护理 康复 打针 针灸 扎针 按摩 推拿 理疗 伤口 胰岛素 吸痰
health 3: 导尿 鼻饲 翻身 擦身 喂药 上药 拆线 输液 艾灸
health 2: 护士 药剂师
health 1: 健康 中风 糖尿病 身体
repair 3: 松了 松动 家具 木匠 木工 柜子坏 椅子坏 修 维修 坏了 坏脱 坏掉 灯泡 灯管 水管 下水道 堵了 堵住
repair 3: 疏通 通下水 漏水 滴水 渗水 电器 插座 跳闸 电闸 门锁 锁坏 换锁 修锁 油烟机坏 不出水 不出热水
repair 3: 没反应 不亮 不转 不制冷 不通电 接线 水电 电路 线路 出毛病 关不紧 关不上 晾衣架 水电工 暖气不热
repair 3: 不热了 暖气片 漏电 短路 纱窗 窗户坏 门坏 卡住了 打不开 锁不上
repair 1: 师傅 电工 工具 开关 热水器 洗衣机 电饭锅 空调 马桶 水龙头 冰箱 电视 灯 有问题 电钻
cleaning 3: 洗洗 窗帘 拆洗 擦洗 打扫 大扫除 擦玻璃 扫地 扫扫地 拖地 拖拖地 清洗 清理 整理房间 保洁
cleaning 3: 搞卫生 做卫生 打扫卫生 洗衣服 洗被子 收拾收拾 收拾一下 吸尘 吸尘器 吸地 地毯 除尘 擦桌子
cleaning 3: 擦地
cleaning 1: 脏 卫生 窗户 擦 乱
companionship 3: 问候 打个电话 电话问候 关心一下 常去看看 多去看看 陪聊 聊天 聊聊 唠嗑 拉家常 说说话
companionship 3: 谈心 解闷 散步 散散步 遛弯 探望 看望 读报 念报 读书给 下棋 下下棋 打牌 陪伴 闷得慌 孤单
companionship 3: 寂寞 晒太阳 说话
companionship 1: 陪 空巢 独居 一个人在家 闷
childcare 3: 接孩子 送孩子 接送 看孩子 带孩子 带娃 看娃 托管 放学 幼儿园 幼师 照看孩子
childcare 1: 孩子 小孩 娃 小朋友 学校 小学 宝宝
tutoring 3: 画画 舞蹈 声乐 讲题 讲讲题 做题 题目 期末 考试 复习 补习 辅导 作业 功课 补课 补补课 家教
tutoring 3: 上课 上上课 讲课 作文
tutoring 2: 钢琴 弹琴 乐器 练琴
tutoring 1: 物理 化学 语文 老师 数学 英语 学习 书法
haircut 3: 剃个头 理个头 剪个头 刮胡子 修面 理发 理个发 剪头 剪发 剪头发 剪剪头发 剃头 推头 头发
tech_help 3: 智能手机 手机 微信 视频通话 视频聊天 网上 小程序 小成序 支付宝 健康码 电子凭证 医保码 激活
tech_help 3: 电脑 上网 扫码 二维码 绑卡 打字 发语音 抖音 网络 不会用 不会操作 不会激活 不会设置 不会下载
tech_help 3: 不会登录 不会上网 领红包 发红包 抢红包 收红包 转账 付款码 收款码 视频电话 密码
tech_help 2: 红包
tech_help 1: 视频
errands 3: 取快递 拿快递 快递 驿站 菜鸟 取件 缴费 交费 垃圾 搬 扛 抬 重物 太重 太沉 搬不动 拿不动 扛不动
errands 3: 排队 排个队 寄 邮局 包裹 跑腿 营业厅 银行 取钱 回收 捐 丰巢 物业费 水费 电费 燃气费 煤气费
errands 3: 话费 水电费 暖气费 取件码
errands 1: 取 送 拿
legal 3: 老年证 证件 材料 残疾证 身份证补办 户口本 办个证 懂法 不给修 赔偿 索赔 物业纠纷 欠款 借条 法律
legal 3: 律师 法务 合同 押金 纠纷 维权 过户 遗嘱 继承 办证 补贴 申请 填表 表格 政策 低保 社保 养老金
legal 3: 户口 房产证 打官司 起诉 诉讼 公证 赡养 律所 退休金 申诉 投诉 仲裁 工伤 拖欠 欠薪
legal 1: 咨询 办理 手续
other 3: 喂鱼 喂鸟 浇花 浇水 照看花 证件照 照片 遛狗 喂猫 喂狗 宠物 猫 狗 借 春联 写字 缝 裁缝 拍照 摄影
other 3: 翻译 梯子
other 1: 喂
- 0: 手机号 手机也 手机没 电视剧 检修 装修 修改 修养 修行 维修基金 借口 卫生间 卫生巾 搬家 搬来 搬到这
- 0: 敷药 药箱 加微信 加我微信 微信转 微信联系 微信号 微信群 微信发 微信红包 微信付 座位 作业本 买单
- 0: 买卖 陪诊志愿者
"""
_EN_TABLE = """
shopping 3: groceries|grocery|supermarket|shopping|costco|walmart|market|vegetables|store|few things
shopping 1: milk|eggs|bread|buy|rice
medicine 3: pharmacy|prescription|refill|medicine|medicines|medication|medications|inhaler|pills|pill
medicine 3: drugstore|meds
meals 3: cook|cooking|meal|meals|dinner|lunch|food
meals 2: soup|dumplings
medical_escort 3: accompany|escort|dialysis|chemo|go with
medical_escort 1: hospital|doctor|clinic|appointment|checkup|check-up
health 3: blood pressure|blood sugar|nursing|wound|dressing|rehab|physio|physiotherapy|injection|insulin
health 2: nurse
repair 3: fix|repair|leak|leaking|leaks|plumber|plumbing|handy|handyman|stopped working|stopped draining
repair 3: not working|light bulb|lightbulb|bulb|bulbs|electrician|drain|draining|faucet|toilet|heater
repair 3: jammed|lock|door lock|radiator|socket|outlet
repair 2: broken|clogged|blocked
repair 1: light|lights|lamp
cleaning 3: clean|cleaning|tidy|mop|vacuum|messy|dust
companionship 3: lonely|company|chat with|talk with|walk with|visit|read to
childcare 3: babysit|babysitting|babysitter|childcare|nanny|after school|daycare
childcare 1: kid|kids|child|children|toddler|year-old|son|daughter|school
tutoring 3: tutor|tutoring|homework|lesson|lessons
tutoring 1: english|math|maths
haircut 3: haircut|hair cut|barber|hair
tech_help 3: wechat|smartphone|phone|video call|video calls|online|computer|tablet|ipad|app|apps|wifi
tech_help 3: alipay|qr code
errands 3: carry|heavy|package|parcel|post office|mail|garbage|trash|queue|errand|errands|mattress
errands 3: deliver|furniture|sofa|couch|boxes|moving|move a|lift a
errands 2: move
legal 3: lawyer|legal|contract|deposit|landlord|subsidy|subsidies|pension|paperwork|forms
legal 1: form
other 3: dog|dogs|cat|cats|pet|pets|borrow|lend|ladder
- 0: broken leg|broken arm|broken hip|broken wrist|broken ankle|broken foot
"""
# Patterns with gaps between their parts; each is tried where its first character occurs.
COMPLEX_TERMS: list[tuple[str, int, str]] = [
    (
        "tech_help",
        3,
        r"(?:网上|手机上|app上|线上|小程序).{0,8}(?:挂.?号|预约|缴费|交费|交.{0,3}费|买|办|填|申请)",
    ),
    ("tech_help", 3, r"(?:教|学)[^,.!?。]{0,6}(?:用|使用|操作|弄)(?!车)"),
    (
        "medical_escort",
        3,
        r"陪[^,.!?。]{0,10}(?:医院|看病|就医|就诊|复查|检查|看医生|挂号|门诊|急诊|化疗|透析|体检|拍片|"
        r"做.{0,3}(?:ct|胃镜|肠镜|b超|核磁|检查|手术|透析|化疗)|hospital|clinic|doctor)",
    ),
    (
        "medical_escort",
        3,
        r"(?:医院|看病|复查|就医|就诊|看医生|检查|手术|hospital|clinic)[^。!?]{0,25}陪(?![床护])",
    ),
    ("medical_escort", 3, r"开车.{0,4}(?:送|接|带).{0,8}(?:医院|看病)"),
    ("medicine", 3, r"(?:买|取|拿|配|开|续|领)[^,.!?。]{0,8}(?<![换上敷])药"),
    ("health", 3, r"(?:量|测)[^,.!?。]{0,3}(?:血压|血糖)"),
    ("cleaning", 3, r"擦.{0,2}窗|收拾.{0,2}(?:屋|房|家)"),
    ("companionship", 3, r"[读念].{0,3}报|陪[^,.!?。]{0,4}(?:聊|散步|遛弯|下棋|说话|坐坐|走走|逛逛|晒太阳)"),
    (
        "childcare",
        3,
        r"照看[^,.!?。]{0,6}(?:孩子|小孩|娃|宝宝|孙|小朋友)|接[^,.!?。]{0,6}(?:孩子|小孩|娃|孙子|孙女|儿子|"
        r"女儿|宝宝)"
        r"|看[^,.!?。]{0,5}(?:娃|宝宝|小孩|孩子)|pick (?:up )?(?:my|the|our|his|her) (?:kid|child|son|"
        r"daughter)",
    ),
    (
        "tutoring",
        3,
        r"教[^,.!?。]{0,6}(?:英语|english|数学|语文|物理|化学|书法|画画|钢琴|乐器|拼音|作文|写字|唱歌|跳舞)"
        r"|学[^,.!?。]{0,3}(?:书法|英语|数学|画画|钢琴)|teach[^.!?]{0,20}(?:english|math|chinese|piano)",
    ),
    ("haircut", 3, r"剪.{0,2}头发"),
    ("errands", 3, r"交[^,.!?。]{0,5}费"),
    (
        "shopping",
        3,
        r"买[^,.!?。]{0,4}(?:菜|米|面|油|肉|蛋|奶|水果|纸|盐|酱油|醋|馒头|包子|面包|日用品|东西|尿不湿|纸巾|"
        r"洗衣粉|洗洁精|牙膏|饮料|水)|带[^,.!?。]{0,2}[一两几点些个袋桶瓶包箱斤][^,.!?。]{0,6}"
        r"(?:米|面|油|菜|肉|蛋|奶|纸|粉|水果|盐|馒头|面包|东西)|"
        r"带[^,.!?。]{0,2}[两几一]?[斤袋桶瓶包箱盒罐提]",
    ),
    ("tutoring", 3, r"补[^,.!?。]{0,3}(?:课|数学|英语|语文|物理|化学|习|功课)"),
    ("other", 3, r"喂[^,.!?。]{0,4}(?:鱼|猫|狗|鸟|宠物|兔)"),
    ("meals", 3, r"送.{0,3}饭|做.{0,2}饭|打.{0,2}饭|打.?份"),
    ("repair", 3, r"(?:doesn'?t|don'?t|won'?t|isn'?t|not) work"),
]


_LEADING_ZERO_WIDTH_RE = re.compile(r"^(?:\\b|\(\?<?[=!][^()]*\))+")
"""Word boundaries and lookarounds (without groups inside) at the start of an alternative."""


def _group_end(pattern: str) -> int:
    """Index of the ')' closing the group that opens ``pattern``, or -1."""
    return next((i for i, ch, depth in _structure(pattern) if ch == ")" and depth == 0), -1)


def first_chars(pattern: str) -> str:
    """Characters one of which starts every match of ``pattern`` (compiled without flags): the first
    character of each top-level alternative, looking through word boundaries, lookarounds,
    ``(?:…)`` groups, plain character sets and optional parts. '' when some alternative does not
    start with characters that can be told this simply."""
    chars: set[str] = set()
    for part in _split_top(pattern):
        starts = _starts(part)
        if not starts:
            return ""
        chars |= starts
    return "".join(sorted(chars))


def _starts(sequence: str) -> set[str]:
    """The characters a match of one alternative can start with; empty when unknown."""
    sequence = _LEADING_ZERO_WIDTH_RE.sub("", sequence)
    if sequence.startswith("(?:"):
        end = _group_end(sequence)
        head = set(first_chars(sequence[3:end])) if end > 0 else set()
    elif sequence.startswith("["):
        end = sequence.find("]")
        members = sequence[1:end]
        head = set(members) if end > 1 and not any(ch in members for ch in "\\^-[") else set()
    elif sequence and sequence[0] not in "\\[.()^$|?*+{":
        head, end = {sequence[0]}, 0
    else:
        return set()
    quantifier = sequence[end + 1 : end + 2]
    if not head or quantifier == "{":
        return set()
    if quantifier in ("?", "*"):  # the head may match nothing: what follows may start the match
        rest = _starts(sequence[end + 2 :].removeprefix("?"))
        return head | rest if rest else set()
    return head


def compile_cues(pattern: str) -> re.Pattern[str]:
    """Compiles a long alternation behind a lookahead on its :func:`first_chars`.

    Python's engine tries every alternative at every position of the text; the lookahead turns
    each position where no cue can start into one character test (~3x faster on chat messages),
    and matches stay exactly the same.
    """
    chars = first_chars(pattern)
    if not chars:
        return re.compile(pattern)
    return re.compile(f"(?=[{re.escape(chars)}])(?:{pattern})")


def _table(text: str, sep: str | None) -> list[tuple[str, str, int]]:
    """Reads 'category weight: word word ...' lines into (word, category, weight); '-' is no category."""
    rows: list[tuple[str, str, int]] = []
    for line in text.strip().splitlines():
        head, _, words = line.partition(":")
        category, weight = head.split()
        for word in words.split(sep) if sep else words.split():
            if word.strip():
                rows.append((word.strip(), "" if category == "-" else category, int(weight)))
    return rows


def _build_zh() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[int, ...]]]:
    terms: dict[str, tuple[str, int]] = {}
    for word, category, weight in _table(_ZH_TABLE, None):
        terms.setdefault(word, (category, weight))
    lengths: dict[str, set[int]] = {}
    for word in terms:
        lengths.setdefault(word[0], set()).add(len(word))
    return terms, {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}


def _build_en() -> dict[str, tuple[str, int]]:
    terms: dict[str, tuple[str, int]] = {}
    for word, category, weight in _table(_EN_TABLE, "|"):
        terms.setdefault(word, (category, weight))
    return terms


ZH_TERMS, ZH_FIRST = _build_zh()
EN_TERMS = _build_en()
EN_WORD_RE = re.compile(r"[a-z][a-z'\-]*")
COMPLEX: list[tuple[str, int, str, re.Pattern[str]]] = [
    (category, weight, first_chars(pattern), re.compile(pattern))
    for category, weight, pattern in COMPLEX_TERMS
]


def category_scores(text: str) -> dict[str, int]:
    """Scores every category by the distinct lexicon terms in normalised text."""
    found: set[str] = set()
    scores: dict[str, int] = {}

    def add(key: str, hit: tuple[str, int]) -> None:
        if key in found or not hit[1]:
            return
        found.add(key)
        scores[hit[0]] = scores.get(hit[0], 0) + hit[1]

    terms, first = ZH_TERMS, ZH_FIRST
    resume = 0
    for i, ch in enumerate(text):
        if i < resume:
            continue
        lengths = first.get(ch)
        if lengths is None:
            continue
        for size in lengths:
            word = text[i : i + size] if size > 1 else ch
            hit = terms.get(word)
            if hit is not None:
                add(word, hit)
                resume = i + size
                break
    if EN_WORD_RE.search(text):
        # Two-word phrases first ("blood pressure", "broken leg"), then single words; a plural "s" is dropped.
        words = EN_WORD_RE.findall(text)
        skip = False
        for k, word in enumerate(words):
            if skip:
                skip = False
                continue
            if k + 1 < len(words):
                pair = f"{word} {words[k + 1]}"
                hit = EN_TERMS.get(pair)
                if hit is not None:
                    add(pair, hit)
                    skip = True
                    continue
            hit = EN_TERMS.get(word)
            if hit is None and word.endswith("s"):
                hit = EN_TERMS.get(word[:-1])
            if hit is not None:
                add(word, hit)
    present = set(text)
    for index, (category, weight, triggers, pattern) in enumerate(COMPLEX):
        if triggers and present.isdisjoint(triggers):
            continue
        for m in pattern.finditer(text):
            add(f"{index}:{m.group(0)}", (category, weight))
    return scores


# --- urgency ---------------------------------------------------------------------------------------------
NOT_URGENT = _rx(
    r"不(?:太|是很|是特别|用太|用|使|算)?(?:着?急)|不是急事|别(?:着)?急|甭(?:着)?急|免急|不赶时间|慢慢来|有空再|"
    r"哪天都行|什么时候都行|"
    r"no rush|not urgent|no hurry|whenever|any ?time|no need to (?:come )?(?:rush|right away|hurry)"
)
URGENT = _rx(
    # 急 but not 急诊 / 急救箱 / 急性肠胃炎 / 脑筋急转弯 / 急脾气 / 紧急联系人: a place or a thing, not haste
    r"(?<!紧)急(?!诊|救|性|转弯|脾气)|马上(?!就?要?(?:过年|过节|到了|开学|放假|就到))|立刻|立即|立马|赶紧|赶快|尽快|"
    r"尽早|越快越好|麻溜|搞快|"
    r"(?:今天|今晚)(?:必须|一定|就要|就得|之内|之前|得)|必须今天|等着(?:用|吃|喝|穿|要)|(?:就|只)剩(?:这)?(?:一|最后)|"
    r"现在(?:就|能|可以|马上|过来|来)|"
    r"快(?:没|用完|吃完|断)|断(?:药|粮)|等不了|来不及|"
    r"asap|urgent|right now|right away|immediately|as soon as possible|almost (?:out|empty|gone)|"
    r"running out|ran out|run out"
)

# --- a price for a service -------------------------------------------------------------------------------
PRICE = re.compile(
    r"\d+\s*(?:元|块|蚊|文|rmb|yuan|hkd|港币|台币)|"
    r"(?:一次|每次|一小时|每小时|半天|全天|一天|每天|一个钟|一台|一件|一斤)\s*\d+(?![\d号楼点栋次回遍趟个::])|"
    r"[一二两三四五六七八九十百千]+(?:块钱|元)|"
    r"(?:一次|每次|半天|全天|一小时|每小时)[一二两三四五六七八九十百千]+(?=[\s,,。!!]|$)|"
    r"(?<![不免乱])收费|(?<!不)有偿|优惠|打[一二三四五六七八九\d]折|\$\s?\d+|[¥￥]\s?\d+|\brm\s?\d+|"
    r"\b\d+\s*(?:per (?:hour|session|visit|trip)|/\s?(?:hr|hour|session|visit))\b|\d+\s*/\s*(?:小时|次|位)"
)
"""A price named ("半天150", "一次一百", "五块钱", "100 per session"): help sold, not offered.
"两块豆腐" is two pieces and "一块儿" together: Chinese numerals count only with 钱 or 元, or alone
after 一次/半天. None of the corpus's 10,439 offers names one; 744 adverts and chatter lines do."""

# --- explicit commands and tags --------------------------------------------------------------------------
EXPLICIT_REQUEST = re.compile(
    r"^\s*/(?:need|求助|request|req)(?:@\w+)?(?:\s|$)|#(?:求助|help|need|需要帮助|求帮忙)(?![\w])"
)
EXPLICIT_OFFER = re.compile(
    r"^\s*/(?:offer|帮忙|提供)(?:@\w+)?(?:\s|$)|#(?:帮忙|offer|志愿|提供帮助)(?![\w])"
)
EXPLICIT_STRIP = re.compile(r"^\s*/\S+|#(?:求助|help|need|需要帮助|求帮忙|帮忙|offer|志愿|提供帮助)")

# --- where -----------------------------------------------------------------------------------------------
_N = rf"(?:\d{{1,3}}|[{_CN_NUM_CHARS}]{{1,3}})"
ADDRESS_TRIPLE = re.compile(r"(?<![\d\-/])(\d{1,2})-(\d{1,2})-(\d{3,4})(?![\d\-/])")
BUILDING = re.compile(
    rf"(?P<n>{_N})\s*(?:号楼|号栋|栋|幢|号院|座(?!位))|\b(?:building|bldg\.?|block)\s*#?\s*(?P<e>\d{{1,3}})\b"
)
UNIT = re.compile(rf"(?P<n>{_N})\s*单元|\bunit\s*#?\s*(?P<e>\d{{1,2}})\b")
ROOM = re.compile(
    r"(?:号楼|栋|幢|单元)\s*(?P<a>\d{3,4})(?!\d)(?!\s*[楼层])|(?<!\d)(?P<b>\d{3,4})\s*(?:室|房间|号房)"
    r"|\b(?:room|apt\.?|apartment|flat)\s*#?\s*(?P<c>\d{2,4})\b|\bunit\s*\d{1,2}\s*,\s*(?P<d>\d{3,4})\b"
)

# --- wellbeing -------------------------------------------------------------------------------------------
WELL_NEGATED_BAD = _rx(r"没(?:有)?(?:什么)?(?:不舒服|事|病|难受)|不(?:头晕|难受|疼)|no (?:pain|problem)")
WELL_BAD = _rx(
    r"不舒服|不太好|不好受|不大好|不怎么好|难受|头晕|头疼|头痛|发烧|发热|咳嗽|胸闷|没力气|没劲|浑身|疼|痛|"
    r"睡不好|睡不着|吃不下|不行了|生病|病了|感冒|拉肚子|呕吐|想吐|心慌|血压高|摔|"
    r"\bsick\b|unwell|not (?:well|good|great|ok|okay)|dizzy|\bpain\b|hurts?\b|terrible|awful|\bbad\b"
)
WELL_FAIR = _rx(r"还行|一般|凑合|马马虎虎|还可以|老样子|老毛病|还凑合|差不多|so-so|not bad|okay-ish|alright")
WELL_GOOD = _rx(
    r"挺好|很好|都好|还好|好着呢|不错|没事|平安|身体好|精神好|一切都好|好得很|蛮好|好多了|放心|不用(?:惦记|"
    r"担心|挂念)|"
    r"\bfine\b|\bgood\b|\bgreat\b|\bwell\b|doing ok"
)
