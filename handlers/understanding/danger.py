"""The second pair of eyes for emergencies: danger told by the state of a person or a place.

The model (:mod:`textmodel`) learns emergencies from examples; this reader knows them
from first principles — someone who does not answer, cannot get up, bleeds, cannot breathe, shows
stroke signs, chokes, is burnt, has a fit, took too much of something, wants to end their life,
is trapped or lost with dementia, and fire, smoke, gas or water loose in a home. It also reads
what turns such words harmless: a negation, a plainly past event that is over, a notice or drill,
a how-to question, a hypothetical. :mod:`understand` raises the alarm when either the
model or this reader sees danger, unless this reader finds the message plainly harmless.
Input is folded text (simplified, lower case; see :func:`lexicon.fold`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.understanding.lexicon import compile_cues, join_spelled_out, space_scripts

__all__ = ["KINDS", "DangerReading", "read_danger"]

_GAP = r"[^,.!?;。!?;\s]{0,6}"  # a few characters within one clause
_LONG_GAP = r"[^,.!?;。!?;\s]{0,12}"
_HABIT_MISSED = (
    r"(?:今天|今日|今儿)(?:也|都)?(?:没|冇)(?:来|嚟|去|到|发|打|见)|(?:两|三|几)天(?:都)?(?:没|冇)(?:来|嚟)"
)
"""A day's habit not kept ("天天来买馒头 今天没来"): a cue for someone not answering, and the test for it."""
_NOT_SOMEONE = (
    r"科室|地方|东西|词|字|感觉|北|柜台|窗口|钥匙|手机|车|路|门|厕所|位置|工作|对象|对手|眼镜|老花镜|花镜|假牙|遥控|拖鞋|入口|说明书|"
    r"人帮|人陪|人做|人修|回家"
)
"""What "找不到" is about when it is no missing person: a place, a thing, a helper, the way home."""

# kind -> cues. Each cue is a state, not a topic: "摔" alone is a phone as often as a person.
_KINDS: dict[str, str] = {
    "fall": (
        r"摔倒|跌倒(?!底)|滑倒|绊倒|栽倒|摔伤|跌伤|摔下|跌下|滚下|摔了一跤|跌了一跤|摔了个(?!大?跟头)|跌低|滑低|仆街了|"
        r"(?:老太太|老人|老头|大爷|奶奶|爷爷|阿婆)[^,,。]{0,4}(?:喊|叫)了(?:一下午|一上午|一晚上|一宿|半天)|"
        r"倒(?:在|伫|佇|喺)(?:了)?(?:地|地上|地下|涂跤|门口|楼梯|卫生间|厕所|浴室|厨房|路边|家里)|倒地|"
        r"(?:爬|站|起|坐)(?:不|袂|勿)(?:返)?起(?:来|身)?|起不(?:到|了|返)身|跋(?:倒|落|一倒)|起不来(?!那么早|这么早|床|早)|动不了|不能动|动弹不得|郁不到|"
        r"倒(?:辣|勒)地|栽下来|扶不起来|拉(?:不|唔)起|"
        r"(?:人|老|奶|爷|妈|爸|他|她|伊|佢|婆|公(?![园園司交寓厕])|伯|叔|姨|娘|爹)[^,.!?;。\s]{0,4}(?:摔|跌|滑|栽)(?:了|咗|倒|下来|下去|落)|"
        r"(?:(?<!仙)人|奶|爷|妈|爸|他|她|伊|佢|婆|公)[^,.!?;。\s]{0,3}(?<![晕昏])倒了(?![一杯碗点些水茶酒])|"
        r"卡在(?:床|沙发|马桶|墙)|骨头(?:茬子?)?[^,,。]{0,4}(?:露|戳|刺|支|穿)(?:了)?出|(?:露|戳)出(?:了)?骨头|"
        r"出溜(?:到)?地上|坐在地上起不|躺在地上|坐地上|"
        r"(?:人|老|奶|爷|妈|爸|他|她|爹|娘)[^,.!?;。\s]{0,4}栽(?:那|地|在地)|"
        r"有人躺(?:在)?(?:楼下|楼道|路边|门口|地上|马路|花坛|雪地|雪里|草地|电梯)|"
        r"\b(?:fell|fallen|has fallen|slipped (?:and|on|in)|tripped and|"
        r"(?:can'?t|cannot) get up(?! (?:the )?(?:stairs|steps)\b)|"
        r"on the floor)\b"
        r"|躺在[^,,。]{0,4}地上|趴(?:在)?[^,,。]{0,4}(?:地上|阳台|地下|雪地|地里)|说(?:她|他|自己)?起不来|企唔返起身|"
        r"\b(?:lying (?:face down|on the (?:floor|ground))|"
        r"(?:can'?t|cannot|can not|could ?n[o']t|no can|unable to) stand"
        r"(?! (?:that|for|long|so|too|very|in|the|it|him|her|them|this|queu\w*|wait\w*|being|up to)\b))\b|"
        r"\b(?:ma'?am|sir|madam|lola|oma|opa|grandma|grandpa|granny|grandad|auntie|uncle|mum|mom|dad|wife|husband|"
        r"he|she|old (?:man|lady|woman)|my \w+) (?:fall|falls|fell|slip|slipped) "
        r"(?:down|in (?:the )?(?:toilet|bathroom|shower|bath|tub|kitchen))\b|"
        r"\bhard fall detected\b|\b(?:has|have|'s|just) (?:taken|took|had) a (?:bad |nasty |big )?tumble\b|"
        r"甩倒|"
        r"\b(?:man|woman|lady|guy|he|she|someone|grandma|grandpa|dad|mum|mom) (?:is |was |went )?"
        r"down on the (?:ice|ground|floor|pavement|road|stairs)\b"
    ),
    "unconscious": (
        r"昏迷|晕倒|昏倒|晕低|昏低|晕过去|昏过去|晕厥|昏厥|不省人事|叫不醒|喊不醒|拍不醒|摇不醒|整不醒|弄不醒|(?:妈妈|爸爸|奶奶|爷爷|外婆|外公|老伴)\s?(?:不醒|醒不过来)|没意识|没有意识|"
        r"(?:敲门|按门铃|拍门|敲了半天)[^,,。]{0,6}(?:一点)?(?:动静|声音|回应|反应)(?:都|也)?(?:没有|冇|无)|"
        r"失去意识|意识不清|(?:人|他|她|佢|伊|老人|奶奶|爷爷|妈|爸)" + _GAP + r"没(?:有)?反应|"
        r"(?:我|他|她|人|正|车上|教练)在(?:给[^,,。\s]{0,4})?(?:按|压)胸(?:口)?|来(?:个)?人(?:帮我)?换(?:一下)?手|"
        r"(?<!有)没(?:有)?呼吸|没心跳|(?:歪|瘫)在(?:门厅|门口|地上|沙发|椅子|床边|楼道)|没有心跳|一动不动|人软(?:下去|了)|瘫(?:倒|软|在(?!床))|软下去|眼睛翻白|翻白眼|"
        r"(?:叫|喊|拍|摇|推|敲门|敲)[^,.!?;。]{0,8}(?:没|不|冇|无|袂|勿|弗)(?:有)?(?:反应|回应|动静|醒|应|人应|人开|说话|吭声|出声|答应|搭理|搭茬|吭气)|"
        r"(?:叫|喊|拍|摇|推)[^,.!?;。]{0,8}(?:(?:冒得|没得|莫得)反应|反应(?:都|也)?没(?:有)?(?!了吗))|叫不(?:行|形|xing)(?![吗吧呢])|"
        r"按(?:电|门)?铃(?:了)?(?:半天|好久|几次|几下)?(?:都|也)?(?:没|冇|无)(?:有)?(?:人|反应|动静)|"
        r"(?:一天|一上午|一下午|半天)(?:的)?电话(?:都|也)?(?:没|不)(?:打通|人接|接)|"
        r"一动(?:也)?不动|只有喘气声|"
        r"(?:好几天|几天|两天|三天|一直)没(?:见|看到|出门|开门)[^。]{0,12}(?:哼|呻吟|声音|味道|臭|报纸|牛奶)|"
        r"(?:两|三|仨|四|五|几|好几)天(?:都)?没(?:接电话|开门|出门|见人|露面|看着|看到|见过)|"
        r"说着说着(?:就)?(?:没声|不说话|没动静|没了声音)|(?<![朵视机箱器麦风])没声了|不吭声了|"
        r"电话[^。]{0,8}(?:都|也|一直|拢)?(?:没|无|冇)(?:人)?(?:接|听)|"
        r"(?:视频|视像|視訊|视讯|video ?call)[^。]{0,16}(?:都|也|一直)?(?:没|冇|沒|不)(?:人)?(?:接|回)|"
        + _HABIT_MISSED
        + r"|"
        r"(?:哼哼|呻吟|哎哟)[^。]{0,10}(?:没人开|不开门|敲门)|(?:没人开|不开门)[^。]{0,10}(?:哼哼|呻吟)|"
        r"(?:人|他|她|佢|伊|老人|奶奶|爷爷|妈|爸|公|婆|女生|男生|女的|男的|小伙|姑娘|孩子|小孩|阿姨|大爷)"
        r"[^,.!?;。\s]{0,3}(?:晕(?:了|咗)|抽过去)|(?<![昨欲甲])昏去|"
        r"\b(?:unconscious|unresponsive|passed out|fainted|collapsed|not breathing|not responding|"
        r"isn'?t responding|won'?t wake|doesn'?t respond|no pulse|no answer|"
        r"(?:can'?t|cannot|can not) wake (?:him|her|them|my \w+|up)(?: up)?|not waking(?: up)?|"
        r"no reaction(?! so far| to)|unconcious|(?:she|he)(?:'s| is|s)? not answering (?:me|us)|"
        r"(?:isn'?t|is not) (?:moving|answering me))\b"
        r"|(?:叫|喊)[^,,。]{0,8}(?:不睁眼|不吱声|不理|no response|zero reaction|莫得反应|都不醒)|"
        r"(?:趴|靠|歪|瘫|侧躺|躺)(?:在)?[^,,。]{0,8}(?:(?<![抱翻推搬挪拉移])不动|没动|一直没|不睁|不理|叫不)|"
        r"\b(?:not moving|doesn'?t answer|no response|won'?t open (?:his|her) eyes)\b|"
        r"\bfor (?:\d|two|three|four|several|a few) days\b[^.]{0,40}\b(?:smell|moan\w*|groan\w*)|"
        r"\b(?:groaning|moaning) (?:sound|noise)s?\b|\bnewspapers (?:are )?piling up\b|"
        r"(?:人|他|她|佢|伊|爸|妈|爹|娘|爷|奶|姥|婆|老头子?|老爷子|老太太?|老伴|大哥|大爷|大妈|孩子|娃|宝宝)"
        r"(?:好像|像是|怕是|快|都|已经)?没(?:有)?气(?:儿)?了"
    ),
    "chest_pain": (
        r"心埂|"
        r"(?:含|吃)了[^,,。]{0,6}(?:药|救心丸|硝酸甘油)[^,,。]{0,3}(?:也)?(?:不管用|没用)|胸口"
        + _GAP
        + r"(?:疼|痛|闷|压|难受)|胸(?:疼|痛|闷)|心口"
        + _GAP
        + r"(?:疼|痛|闷|翳)|心脏"
        + _GAP
        + r"(?:疼|痛|绞痛|难受|不舒服)|胸坎"
        + _GAP
        + r"(?:疼|痛|闷|绞|絚|紧)|心绞痛|心梗|心肌梗|(?:捂|按)(?:着|住)胸口|"
        r"心[脏藏](?:病)?(?:发作|犯了|病犯|不舒服|疼|难受|骤停)|"
        r"含(?:了)?(?:药|硝酸甘油|速效救心丸|救心丸)[^。]{0,6}(?:不管用|没用|不见好|没效)|"
        r"\b(?:chest pain|heart attack|cardiac arrest|chest hurts|pain in (?:his|her|my) chest|"
        r"chest (?:is )?(?:really |very )?tight|"
        r"pain (?:goes|spreads|spreading) to (?:his|her|my) (?:jaw|arm))\b"
        r"|(?:按|捂|抓)着(?:左)?(?:胸|心口)|胸口发紧|心跳[^,,。]{0,4}乱|心肝头[^,,。]{0,3}痛|石头(?:压|硩)|"
        r"\b(?:clutching (?:his|her|my) chest|on (?:his|her|my) chest|chest very pain)\b"
    ),
    "breathing": (
        r"喘不上气|喘不上来|肋骨[^。]{0,8}(?:往里陷|凹进去|一窝一窝)|喘不过气|呼吸困难|上不来气|透不过气|喘不过来|憋得(?!慌)|嘴唇(?:发紫|发青|紫)|"
        r"哮喘(?:犯|发作)|asthma\s*(?:attack|发作|犯了)|嘴(?:都|也)?(?:紫|发紫|发青)了|抖不到气|气喘不|喘得厉害|呼吸(?:越来越)?(?:弱|微弱|急促)|喘一下停|喘不动|"
        r"喘得[^。]{0,6}(?:说不|厉害|不行|上不来)|呼吸不了|喘不了气|(?:脸|嘴唇)(?:色)?发青|"
        r"\b(?:can'?t breathe|cannot breathe|trouble breathing|short of breath|struggling to breathe|"
        r"(?:very |so |really )?(?:hard|harder|difficult) to breathe|"
        r"lips (?:are )?(?:blue|purple)|asthma attack|gasp(?:s|ing)|long pauses)\b"
        r"|吸不进(?:气|去)?|倒不上气|呼吸(?:很|好|特别|越来越)?(?:急|快)(?!递)|肋骨[^,,。]{0,4}陷|喘得[^。]{0,6}走不|气儿上不来|喘不到气|肋骨[^,,。]{0,6}凹|胸口[^,,。]{0,4}凹|呼哧|(?:嘴唇|口唇)[^,,。]{0,3}(?:紫|青|乌|黑)|"
        r"\b(?:catch (?:her |his |my )?breath|stop for air|lips (?:look |are )?(?:dusky|blue|grey))\b|"
        r"(?:喉咙|嗓子|喉嚨)[^,,。]{0,2}(?:发紧|很紧|好紧|越来越紧)|吸气[^,,。]{0,4}(?:费劲|困难)|一吸一个坑|"
        r"\b(?:throat (?:feels |is |getting )?(?:tight|closing)|"
        r"lips (?:little bit |a bit |slightly |going |turning )(?:blue|purple|grey))\b|"
        r"说不了(?:一)?整句(?:话)?|开始喘(?!气)|话都说不(?:全|完整|伸展|连贯)|(?:讲|说)(?:两|几)(?:只|个)?字就(?:要)?停|穿不上气"
    ),
    "stroke": (
        r"中风|脑梗|脑溢血|脑出血|嘴歪|口角歪|说话不清|说不出话|口齿不清|半边(?:身子|身体|脸)|(?:左|右)半边[^。]{0,12}(?:麻|没知觉|不听使唤|漏)|麻[^。]{0,6}(?:左|右)半边|嘴角[^。]{0,6}漏|"
        r"(?:一|左|右)边(?:手|脚|腿|脸|身子|身体)[^,.!?;。]{0,3}(?:没劲|不能动|动不了|麻)|手(?:抬不起|举不起)|突然说胡话|"
        r"胡言乱语|脸(?:也|都)?歪|大舌头|说话含糊|含含糊糊|含糊不清|听不懂(?:他|她)说什么|拿(?:东西|杯子|筷子)?拿不住|拿不住(?:东西|杯子|筷子|碗)|看(?:东西)?(?:一半|半边)[^,,。]{0,3}黑|"
        r"嘴(?:巴)?歪|嘴(?:巴|角)?(?:也|都)(?:有点|有些)?歪|说话舌头(?:发)?(?:大|硬)|讲(?:不|勿)清|一只手(?:拎|抬|举)(?:不|勿)起|"
        r"\b(?:stroke|face (?:is )?drooping|slurred|slurring|can'?t lift (?:his|her) arm|"
        r"(?:mouth|face|smile) (?:has |is )?(?:dropped|drooping|droops|lopsided))\b"
        r"|说话[^,,。]{0,4}(?:不利索|听不懂|含糊)|说的话[^,,。]{0,4}听不清|重影|(?:一边|半边|右边|左边)[^,,。]{0,6}(?:耷拉|动不了|没劲|拖)|"
        r"嘴角[^,,。]{0,3}(?:耷拉|往下)|喙歪|\b(?:can'?t find (?:his|her) words|side of (?:his|her) face)\b"
    ),
    "bleeding": (
        r"流(?:了)?(?:好多|很多|一地|不少|满)?血|大出血|血流不止|止不住血|血止不住|出血不止|吐血|便血|"
        r"满(?:脸|头|身|地)(?:是)?血|(?:全|都)是血|一(?:身|地)血|血(?:直流|哗哗)|割到动脉|血(?:一直|还在|不停|一路)(?:在)?流|"
        r"止(?:勿|袂|不)(?:牢|住)|(?<!裂)大口子|伤口(?:很|好|特别)深|血流不停|按(?:都)?按不住|"
        r"\b(?:bleeding(?: for (?:\d+|an?|one|two|half|over|about|almost|nearly)\b[^.,]{0,12}"
        r"(?:minutes?|mins?|hours?|hrs?))?(?! (?:money|cash|us dry|me dry|goals|points|colou?rs?|ink))|"
        r"blood everywhere|lots of blood|"
        r"won'?t stop bleeding|"
        r"(?:vomiting|coughing up|throwing up) blood)\b"
        r"|红的[^,,。]{0,8}(?:淌|流|滴|冒|往下)|(?:一直|还在|不停)(?:在)?(?:冒|往外冒|往下滴|往外渗|涌|淌|流)|口子[^,,。不]{0,8}(?:深|冒|流)|"
        r"开了(?:个)?口|止唔到|\b(?:pouring out|spurting|deep cut|not stop since|all red|so much blood|"
        r"fingers? (?:is |are )?(?:hanging|almost off|half off))\b|"
        # blood that keeps coming, told by how it comes: 喷, 冒, 涌, 標, or 留 typed for 流
        r"(?<![鸭猪牛毛冷热心补贫献验抽])血(?![压糖脂型管液常检清栓友])[^,,。]{0,3}"
        r"(?:止(?:不|弗|勿|唔|袂|毋)(?:住|到|牢)|(?:一直|不停|还在|仍|仲)[^,,。]{0,2}(?:喷|冒|涌|湧|標|标|飙|淌|留)|"
        r"喷|呲|涌|湧|標|标|飙|留不止|留个不停)|止(?:弗|唔|毋)(?:住|牢)|止不到|血肉模糊|血肉糊|"
        r"毛巾[^,,。]{0,4}湿透|湿透(?:了)?(?:两|三|几|好几)条|看得(?:见|到)[^,,。]{0,3}骨头|骨头(?:都)?露|"
        r"(?:锯|铡|绞|剁|切)(?:掉|断)了?[^,,。]{0,3}(?:手指|指头)|手指(?:头)?[^,,。]{0,2}(?:快)?(?:断|掉)了|"
        r"\bblood (?:(?:still |just )?(?:won'?t|wouldn'?t|doesn'?t|cannot|can'?t|will not) stop|cannot stop|"
        r"(?:is |keeps |still )?(?:pouring|gushing|spurting|pooling|soaking))\b|"
        r"\bsoak(?:ed|ing) through (?:\w+ )?(?:towels?|two|three|\d)\b|\bcan see (?:the )?bone\b|"
        r"血[^,,。]{0,4}(?:往外|往下|顺着)[^,,。]{0,4}(?:冒|滋|涌|湧|喷|噴|渗|淌|流|滴)|往外(?:冒|滋|喷|噴|涌)血|"
        r"(?:吐|咳|咯)(?:了|出)?(?:一|好几|几|好多|一大)[^,,。老]{0,3}血|鼻血[^。]{0,12}(?:停不|止不|没止|不停|钟头|个钟|小时(?!候)|\d+分钟|十分钟)|"
        r"(?<![抽献验采])(?:好多(?:好多)?|很多|一滩(?:一滩的)?|一大滩)血|血[^,,。]{0,2}(?:好多|贼多|老多|很多|有点多)|"
        r"(?:满|一)(?:脸|头|身|地|嘴)(?:的|都是)?血|血[^,,。]{0,3}(?:一地|一滩|一脸|满脸|满地|一身)|"
        r"血[^,,。]{0,2}(?:止|停|stop)\s?(?:不|弗|唔)(?:了|下来|住)|血只不住|"
        r"(?:压|壓|按|揿|㩒|揸)(?:着|住|著)?[^,,。]{0,4}(?:不|唔|袂)住|"
        r"\b(?:blood (?:no|not|never) stop|gushing blood|vomit(?:ed|s|ing)? blood|a lot of blood|"
        r"blood all over|"
        r"blood (?:still )?(?:come|coming|comes) out|blood still coming)\b"
    ),
    "choking": (
        r"噎住|噎着|卡(?:住)?(?:喉咙|嗓子|气管)|(?:喉咙|嗓子)(?:卡|堵)|鱼刺卡|骨头卡|呛住|哽住|"
        r"(?:小孩|孩子|宝宝|老人|他|她)[^,.!?;。]{0,4}卡住了|鲠住|噎牢|噎著|卡起了|出不赢气|气透(?:不|勿)过|"
        r"(?:脸|面)(?:都)?(?:紫|发紫)|脸(?:都)?憋(?:得)?(?:紫|青|发紫)|吃[^,,。\s]{0,4}卡住了|"
        r"\b(?:choking|choked|something stuck in (?:his|her|my) throat|throat (?:is )?swell\w*|wheezing)\b"
        r"|咳不出来|发不出声|在做海姆立克|\bdoing (?:the )?heimlich\b|(?:抓|掐)着(?:自己)?(?:的)?脖|"
        r"卡(?:在|佇)[^,,。]{0,4}(?:喉|咙|嚨)|"
        r"(?:吞|咽)(?:了|下去)(?:个|一颗|一个)?[^,,。]{0,4}(?:硬币|纽扣|电池|珠)|cough不出|"
        r"\b(?:swallow(?:ed)? (?:a |small )?(?:toy|coin|button)|can'?t (?:talk or cough|cough))\b"
    ),
    "burn": (
        r"烫伤(?!膏)|烧伤(?!膏)|稍伤|起(?:晒)?水泡|(?:粥|汤|开水|热水|油)[^。]{0,10}(?:扣|泼|浇|洒)(?:在)?[^。]{0,6}(?:脚|手|腿|身上|脸)|(?:袜子|衣服)[^。]{0,8}粘(?:着)?(?:皮|肉)|烫(?:得|到|了|着)[^。]{0,16}(?:起泡|掉皮|脱皮|好大|一大片|大片|厉害|变白|发白|发黑|变成白色)|油(?:锅)?溅|"
        r"(?:开水|热汤|滚汤|热水|热油|滚水|汤)[^。]{0,6}(?:浇|泼|洒|烫)|"
        r"\b(?:badly burned|burnt? (?:his|her|my) (?:arm|hand|leg|face)|scald\w*|boiling water|big burn)\b"
        r"|(?:烧|烫|灼)(?:到|伤|进)(?:了)?[^,,。\s]{0,3}眼睛|(?:起|一串|好多|大)(?:了)?泡|(?:手|胳膊|腿|脚|脸|背|皮)[^。]{0,6}(?:都|全)是泡|起晒泡|(?<![墙书])皮[^,,。]{0,2}(?:卷起|掉了|甩)|溅[^,,。]{0,6}(?:眼|脸)|"
        r"\b(?:blister(?!\s*packs?)\w*|red raw|skin (?:is )?peeling|splashed (?:in|on|all over))\b|"
        r"(?:孩子|娃|宝宝|手|脚|脸|腿|胳膊|他|她)被[^,,。\s]{0,3}烫(?:到|着|伤)?了(?!一下|个|一点)"
    ),
    "seizure": (
        r"抽搐|惊厥|(?<![腿脚])抽筋\s*停不下|又(?:开始)?抽(?:了|起来)(?!烟|根|支|一根|一口)|抽完一次[^。]{0,6}(?:还没醒|又)|抽了[一二两三四五\d]+分钟|"
        r"\bhaving fits?\b|\bfits one after another\b|\beyes roll(?:ed|ing)? (?:up|back)\b|"
        r"抽(?:了)?第[二三两\d](?:回|次)|"
        r"抽筋[^。]{0,6}(?:口吐|翻白|叫不|眼睛)|抽风(?!机|了?(?:似的|一样|一般)|了?[^。]{0,4}(?:wifi|网络|网|电脑|手机))|抽过去了|口吐白沫|白沫|癫痫(?:发作|犯)|羊癫疯|羊角风|抽得停不|"
        r"抽了[^。]{0,6}(?:还没停|停不)|眼睛往上翻|眼珠(?:往)?上翻|打抖抖|(?:烧|发烧|高烧)[^。]{0,12}抽(?:筋|搐)|"
        r"epilep\w*\s*(?:发作|attack|fit|seizure)|"
        r"\b(?:seizure|seizing|convulsing)\b"
        r"|(?:抖|震|哆嗦)个不停|手脚不停|浑身哆嗦|直挺挺|眼珠子?往上翻|"
        r"\b(?:twitching|shaking (?:very )?hard|went stiff|bite (?:his|her) tongue)\b"
    ),
    "poisoning": (
        r"\b(?:took|swallowed|ate) (?:like |about |around )?\d{2,} "
        r"(?:pills|tablets|paracetamol|panadol|sleeping pills)\b|"
        r"(?:吃|吞)(?:了)?[二三四五六七八九十几]十(?:多)?(?:片|粒|颗)|"
        r"(?:喝|饮|吃|吞|舔)(?:了|咗|落)?[^,,。\s]{0,3}(?:消毒液|消毒水|84|洁厕|漂白|洗洁精|鼠药|杀虫剂|敌敌畏|除草剂)|"
        r"吃错(?:了)?药|药吃多了|吃多了药|药[^,,。\s]{0,4}(?:吃了两(?:遍|次|回)|吃重(?:了|复))|当(?:成|作)?(?:酒|水|饮料|汽水)喝|"
        r"\b(?:drank|drink|swallowed) (?:the |some )?"
        r"(?:dishwasher|washing|cleaning|bleach|detergent|antifreeze)|"
        r"吞了[^。]{0,6}(?:药|片)|喝了(?:农药|敌敌畏|百草枯|消毒水|洗洁精)|"
        r"(?:食物|煤气|一氧化碳|农药|药物|酒精)中毒|中毒了[^。]{0,6}(?:吐|晕|昏)|误食|误服|药[^。]{0,8}(?:当糖|当饭)|"
        r"(?:吃|食)(?:了|咗)(?:一大把|好几|一把|一整|半|成板|一板|整板)|(?:啃|吞)(?:了)?好几(?:粒|片|颗)|(?:吃|食)(?:错|毋着|毋著)(?:了)?药|(?:一次|一下子)(?:全)?吃(?:了|光)|"
        r"(?:烧炭|炭火|炭盆|煤炉|炉子)[^。]{0,24}(?:晕|吐|恶心|站不稳)|"
        r"\bswallow(?:ed|s)? (?:a |an |the |some )?(?:battery|batteries|magnets?|coins?|pins?)\b|"
        r"\b(?:overdose|overdosed|poison(?:ed|ing)|swallowed (?:a bottle|pills|bleach)|pills at once|"
        r"took (?:all|his whole|her whole|a whole)[^.]{0,20}pills)\b"
        r"|野蘑菇|上吐下泻|药盒[^。]{0,6}(?:全|都)吃空|(?:菇|菌子)[^。]{0,16}(?:呕|吐|屙)|纽扣电池|洗厕所(?:的|水|液|灵)|当成水喝|喝了(?:一)?口[^,,。]{0,4}(?:84|消毒|洗洁|漂白)|(?:空的|一桌子|一地|满地)药瓶|药瓶的照片|少了[^,,。]{0,4}(?:片|粒)|"
        r"\b(?:bleach|button battery|charcoal heater)\b"
    ),
    "self_harm": (
        r"以后(?:就)?(?:不用|唔使|不使|不必|别)再(?:理|管|惦记)我|"
        r"\bwon'?t be (?:around|here) (?:after (?:tonight|today)|anymore|any more|to (?:sign|see|read))\b|"
        r"\bwon'?t be needing anything (?:anymore|any more)\b|"
        r"(?:砍|割|捅|划|伤害|弄死)(?:了)?自己|药[^。]{0,6}(?:全|都|攏|拢)[^。]{0,4}(?:整|拿|提)出来|一把吃了(?:得了|算了)|"
        r"从(?:阳台|窗户|楼上|楼顶|天台)(?:上)?下去(?:得了|算了)|(?<!它)活不过(?:今晚|今天|明天)|(?:今天|今晚)是我(?:的)?最后一(?:天|晚|夜)|"
        r"(?:刀|刀片)(?:就)?(?:搁|放|在)(?:在)?(?:枕头|手上|手里|床头)|(?:手里|手上)(?:攥|握)着(?:一把)?(?:刀|刀片)|"
        r"药[^。]{0,4}(?:买|备|准备)好了[^。]{0,10}(?:今晚|夜里|今夜|今天)[^。]{0,4}(?:就)?(?:吃|食)|"
        r"我(?:人)?(?:应该|就|怕是|也)?(?:已经)?不在(?:这个?)?(?:世上|人世)|药(?:店|房)?[^。]{0,8}(?:买|攒|凑)够了|"
        r"今晚过后[^。]{0,8}(?:轻松|解脱|清净)|好快就完|\bdone with (?:everything|it all|life)\b|"
        r"(?:今晚|今天|今暗|今夜|现在)(?:就)?(?:欲|要|想)?去死|^我(?:真的)?(?:要|想)去死|"
        r"(?:就要|想要|今晚就|今天就|准备|我要)解脱(?:了|吧)|活着(?:还)?有(?:啥|什么|甚么)(?:劲|意思|用)|"
        r"大家别找我|(?:以后|永远)(?:都)?别(?:再)?找我|我(?:可以|就能|能)安心(?:地)?走了|"
        r"(?:存|攒)了[^。]{0,3}[\d一二两三四五六七八九十百几]+片|"
        r"(?:明天|以后|再也)[^。]{0,4}(?:看|见)不(?:到|着)我了|"
        r"带着?(?:她|他|妈|爸)?一起走(?:了算了|算了)|不想(?:或|伙)了|(?:安安静静|悄悄|静静)(?:地)?走掉|(?:毋|唔|袂|勿)想活|"
        r"不想活|无想欲活|活不下去|了结自己|结束自己|活着太累|今晚(?:就)?想结束|不要找我|活着没意思|想死(?!的心|你|妳|您)|寻死|自杀|轻生|想不开|割腕|遗书|(?<!亏本)(?<!血亏)跳楼(?!价|大甩卖|甩卖|清仓)|跳搂|跳(?:河|溪|江|海|湖)|(?<!吓一)(?<!吓了一)跳下去|(?:徛|企)(?:佇|喺|在)?桥|(?<![墙上])上吊(?!嗓|下|着)|农药|"
        r"留了(?:一封|封)?信|(?:脚|腿)(?:悬|伸)在外面|以后用不上了|谢谢[^。]{0,8}这些年|(?:天台|楼顶)(?:上)?有(?:个)?人|"
        r"(?:站|坐|爬|企)(?:在|喺)?[^。]{0,6}(?:楼顶|天台|窗台|阳台边|栏杆外|桥上|窗户外|窗外)|遗言|告别(?:信|短信|消息)|(?:楼顶|天台)[^。]{0,8}(?:要跳|往下跳)|"
        r"最后一次(?:跟|和)[^。]{0,6}说话|(?:吃|吞|喝)(?:了)?[^。]{0,6}安眠药|安眠药[^。]{0,6}(?:全|都)吃|安眠药[^。]{0,4}(?:食晒|吃光|吃完)|"
        r"(?:成樽|成瓶|整瓶)[^。]{0,6}药[^。]{0,4}(?:食晒|吃光|吃完|吃了|吞了)|(?:吃|吞|食)(?:了|咗|晒)?(?:成樽|成瓶|整瓶)|"
        r"不想再?(?:生存|活)|(?:跨|爬|翻)(?:到|出|在|过)[^。]{0,4}(?:阳台|窗台|窗户|栏杆|防盗窗)(?:外|边)|不想(?:再)?拖累|永远的那种|别来找我|药片的照片|药(?:我)?都?准备好了|想去找(?:我|他|她)?(?:爸|妈|老伴|老头)|先走了[^。]{0,4}(?:大家|你们)?保重|大家保重(?!身体|身體)|交代后事|"
        r"不想(?:再)?(?:撑|熬)(?:了|下去)|不想再往下熬|活够了|今晚就结束吧|数药片|(?:攒|囤|存)(?:的|了|下的)[^。]{0,6}药[^。]{0,8}(?:全|都|一起|一口气)(?:吃|吞|喝)|药[^。]{0,8}攒(?:了|的)[^。]{0,12}够了|(?:东西|家当|衣服|猫|狗|花)[^。]{0,12}送(?:人|给)[^。]{0,30}炭|炭[^。]{0,30}(?:东西|家当|猫|狗)[^。]{0,12}送(?:人|给)|攒(?:了|的|在)?[^。]{0,8}(?:安眠药|药片)|安眠药[^。]{0,6}攒|以后(?:就)?(?:不|不会再)(?:麻烦|打扰)(?:你们|大家)了|"
        r"(?:拎|拿)着绳子[^。]{0,6}(?:进|关|锁|上)|(?:拿着|握着)刀[^。]{0,12}控制不住|坐(?:咗|在|喺)?[^。]{0,4}(?:栏杆|欄杆)边|"
        r"\b(?:holding a blade|written (?:letters|a letter) to)\b|"
        r"绳子[^。]{0,8}(?:挂好|绑好|系好|准备好)|药[^。]{0,4}攒够|药[^。]{0,4}储(?:咗|了)|储(?:咗|了)[^。]{0,4}药|药(?:仔)?[^。]{0,4}(?:拢|都|全)(?:食|吃)(?:落去|下去)|"
        r"去揣阮(?:牵手|翁|某)|\b(?:texted|messaged|wrote)\b[^.]{0,12}\btake care of my\b|"
        r"药[^。]{0,4}(?:已经|都)准备好|最后一次在群里(?:说话|发言)|"
        r"(?:今晚|今天)(?:我)?就去(?:找|陪)|\b(?:nice knowing you|came (?:up )?here to jump)\b|"
        r"\b(?:on|at) the (?:\d+\w* floor )?ledge\b|"
        r"\b(?:sitting|standing|sat|stood|perched|climb\w*|crouch\w*|hanging|someone|somebody|"
        r"a (?:man|woman|guy|girl|boy|kid|child|lady))"
        r"\b[^.!?]{0,12}\b(?:on|at) the (?:window |roof |rooftop |outside |outer )+ledge\b|"
        r"\b(?:wrote|said|texted|messaged)\W{0,3}goodbye\b|死(?:咗|了)(?:仲|还|更|倒)(?:更)?好|往下看[^。]{0,6}不(?:觉得)?怕|"
        r"\b(?:says?|saying|threaten\w*) (?:he|she|they)(?:'ll| will| is going to| wants to) jump\b|"
        r"\b(?:he|she|they)(?:'s| is| are) (?:going|gonna) (?:to )?jump (?:off|from)\b|"
        r"\bgoodbye\b[^。]{0,100}\b(?:look after|take care of) my\b|"
        r"(?:告别|道别|永别|thanks for everything)[^。]{0,16}(?:就|然后)?关(?:了)?机|"
        r"\bdon'?t want to be here any ?more\b|"
        r"定时发送|设(?:了|好)(?:的)?定时|设好[^。]{0,6}(?:以后|之后)发|"
        r"\bscheduled (?:this|the) (?:post|message)\b|"
        r"(?:跟|和|同)这(?:个)?世界(?:说)?(?:再见|告别|道别)|攒[^。]{0,10}药[^。]{0,10}够|"
        r"不用(?:再)?找我了|别急着找了|"
        r"信(?:在|放在?)[^。]{0,6}(?:抽屉|桌上|枕头)|\bsealed them\b|\bwon'?t need (?:it|them) any ?more\b|"
        r"以后(?:就)?(?:不用|别|甭|毋免|唔使)(?:再)?(?:给我|替我|帮我)?(?:留饭|等我|寄钱|载我|记账|惦记)|"
        r"(?:去|这就|就)(?:找|见|揣|搵|見)(?:我|阮|佢|他|她)?(?:的|们家)?(?:老伴|老太婆|老太太|老头子|老公|老婆|阿爸|阿公|阿嬤|阿妈|爸|妈)"
        r"[^。]{0,30}(?:走的|走了|过世|過身|去世|走咗)|"
        r"(?:(?:去年|前年|旧年|舊年)\S?)?(?:走的|走了|过世|過身|去世|走咗)[^。]{0,30}"
        r"(?:去|这就|就)(?:找|见|揣|搵|見)|"
        r"(?:存折|存摺|银行卡|金器|印仔)[^。]{0,20}(?:交|给|分|放|予)[^。]{0,30}(?:以后|不用|别|毋免|唔使)|"
        r"这辈子就这样了|后面的事(?:就)?不麻烦|\b(?:for whoever finds me|left the door unlocked for)\b|"
        r"药[^。]{0,8}(?:全|一块儿|一起|一口气)(?:吃|喝|吞|嚼)(?:了|下去|掉|咗)|(?:吃|吞)了(?:好多|很多|一大把|一把)(?:的)?药(?![^,,。]{0,3}(?:都|也|还)?(?:不|没))|"
        r"(?:吃|喝|吞)(?:了|完)[^。]{0,3}(?:一整瓶|整瓶)|"
        r"(?:天台|楼顶|顶楼|桥上|水塔|烟囱|江滩|河边|rooftop)[^。]{0,24}"
        r"(?:想想|想一想|寻思|諗|不下来了|不下去了|跳落去|边边外面|站在边上)|"
        r"(?:想|寻思|諗)(?:不)?(?:明白|完)[^。]{0,12}(?:就下去|就不下去|跳)|"
        r"炭[^。]{0,30}(?:门缝|窗缝|封严|贴好)|(?:门缝|窗缝)[^。]{0,30}炭|"
        r"睡过去[^。]{0,4}(?:不醒|就行)|一觉睡过去|\b(?:sleep and (?:not|never) wake|never wake up)\b|"
        r"(?:我|俺|阮|涯)(?:已经|就|应该已经)不在了|(?:莫|毋免|甭)(?:来)?(?:找|寻|揣)(?:我|俺|涯|阮)|"
        r"(?:明天|明早|明儿|今晚之后|今晚以后|过了今天|过了今晚)(?:起|开始|以后)?[^。]{0,10}"
        r"(?:什么都不用|就没人了|吃不到了|用不着了|骑不着了|就无所谓了|就不再了)|"
        r"\b(?:won'?t be around after|after tonight i (?:can'?t|cannot|won'?t))\b|"
        r"这是我(?:的)?最后一(?:条|篇)(?:消息|笔记|朋友圈|留言)|最后一条(?:了)?\s*别回|(?:明天|今晚|以后)(?:我)?就不在了|"
        r"\b(?:written|wrote|left) (?:the|my|a) notes?\b|\bphoto of (?:a )?(?:rope|pills)\b|"
        r"\bgiving away\b[^.]{0,80}\bwon'?t need\b|"
        r"(?:楼顶|天台|窗台|楼边|边上)[^。]{0,12}(?:要跳|想跳|jump)|"
        r"\b(?:harm(?:ing|s)?|cutting) (?:my|him|her|them)sel(?:f|ves)\b|\bwill cut (?:him|her|my)self\b|"
        r"\b(?:suicid\w*|kill (?:my|him|her)self|end (?:my|his|her) life|wants? to die|jump off|"
        r"goodbye everyone|goodbye (?:message|note|letter|text)|suicide note|wants? to end it|end it all|"
        r"(?:edge|ledge) of the (?:roof|rooftop|building))\b"
    ),
    "fire": (
        r"(?<![不唔勿没开打])着(?:了|咗)?火|着着呢|火还在烧|窗(?:户)?(?:里头|里面)?[^。]{0,4}通红|(?:楼|层|屋|房子|厨房)着(?:了|咗)(?!凉)|火灾(?!险|报警|探测)|失火|起火|走火(?!通道|警钟|梯)|(?<![肉个])火烧|烧起来|燃起来|烧着(?:了|咗)|扑不(?:熄|灭)|"
        r"火苗|火光|火势|明火(?!化)|烧紧|(?:箱|堆|柴|垃圾|草)[^,,。\s]{0,4}窜起来|气罐[^,,。]{0,4}鼓(?:起来|包)|烧得(?:好|很|老|贼)大|(?:充电|电池|电瓶)[^。]{0,8}(?:爆炸|炸了|explod\w*)|(?:全|都)是火|火烛|火窜|火(?:好|很|太|老|贼|特别)大|冒(?:黑)?烟|浓烟|黑烟|"
        r"(?<!抽)烟(?:雾)?(?:倍儿|贼|老|好|很|特别|太|超)大|(?<!抽)烟\s?(?:好多|太多)|(?:全|都)是烟|满屋(?:子)?(?:的)?烟|一屋(?:子)?烟|有烟(?!火)|"
        r"进烟|烟从|烟(?:冒|灌|窜)?上来了|焦味|焦糊|糊味|烧焦|火警(?:报警)?器[^。]{0,6}(?:响|叫)|"
        r"(?:充电|插座|电线|电箱|电表)[^。怕]{0,6}(?:起火|冒火|火花|冒烟|烧)|火花|"
        r"\b(?:fire(?!\s*(?:lanes?|exits?|doors?|escapes?|hydrants?|extinguishers?|drills?|safety|"
        r"engines?|trucks?|brigade|station|alarms?|pits?|boss))|on fire|"
        r"smoke(?!\s*(?:alarm|detector))|smoky|flames?|burning smell)\b|"
        r"\b(?:something|roof|building|house|flat|car|bin|kitchen|shed|terrace)\b[^.,]{0,20}\bis burning\b|"
        # a smoke alarm relayed by its app, or sounding on and on
        r"(?:烟雾报警|烟感)[^。]{0,10}(?:app|推送|手机上)|(?:app|推送)[^。]{0,10}(?:烟雾报警|烟感)|"
        r"(?:烟雾报警器|烟感)[^。]{0,4}(?:响|叫)了(?:半天|好久|很久|半个?(?:钟头|小时)|[\d一二两三四五六七八九十几]+(?:分钟|个钟头|小时))|"
        r"\bsmoke alarm\b[^.,!?]{0,20}\b(?:going off|screaming|ringing|sounding) "
        r"(?:for|since|nonstop|non-stop)\b"
    ),
    "gas": (
        r"(?:煤气|燃气|天然气|天然器|液化气|瓦斯)" + _LONG_GAP + r"(?:(?<![没无])味|泄漏|泄露|漏|嘶|冲|呛)|"
        r"漏气|(?:味|味道|气味)[^,,。]{0,6}(?:像|好像|似)(?:是)?(?:煤气|燃气|天然气|液化气|瓦斯)|"
        r"闻到" + _GAP + r"(?:煤气|燃气|天然气|瓦斯)|臭鸡蛋味|(?:燃气|煤气)管[^。]{0,6}(?:穿|破|断)|"
        r"(?:煤气|燃气|天然气|液化气|瓦斯)[^。]{0,24}(?:都|全)是(?:那(?:股|个))?(?:味|(?=\s|$))|"
        r"(?:都|全)是(?:那(?:股|个))?味[^。]{0,24}(?:煤气|燃气|天然气|液化气|瓦斯)(?![^,,。\s]{0,3}(?:似的|一样))|"
        r"还是有味[^。]{0,8}(?:浓|晕)|怪味[^。]{0,10}(?:头晕|晕|恶心|想吐)|(?:灶|燃气|煤气|管子?|阀)[^。]{0,8}嘶嘶|"
        # a flame gone out with a smell in the room: "灶眼儿没着 一屋子味儿 我妈脑袋晕乎乎的"
        r"(?:灶|炉|火)(?:眼儿?|头|子)?[^,,。]{0,3}(?:没着|灭了|熄了|没点着)[^。]{0,12}味|"
        r"(?:一屋子|满屋子?|一屋)(?:都是)?(?:的)?味(?:儿|道)?[^。]{0,12}(?:头晕|晕|恶心|想吐)|"
        r"(?:一氧化碳|燃气|煤气|co|carbon monoxide)\s*(?:报警器|警报器|alarm|detector)[^。]{0,6}"
        r"(?:响|叫|going off|sounding)|"
        r"\b(?:gas leak|smell(?:s|ing)? (?:of |like )?gas|leaking gas|gas smell|"
        r"carbon monoxide(?!\s*(?:detectors?|alarms?|sensors?|monitors?)))\b|"
        r"\bgas\s*味|\brotten eggs?\b"
    ),
    "flood": (
        r"天花板[^。]{0,10}(?:要塌|塌了|bulging)|\blike a waterfall\b|"
        r"\bceiling\b[^.]{0,20}\b(?:bulging|collaps\w*)\b|"
        r"水管(?:子)?" + _GAP + r"爆|爆管|管(?:子|道)?爆了|暖气(?:片|管)?" + _GAP + r"(?:爆|喷|漏水)|"
        r"水漫|漫水|漫出来|漫到|淹了|淹到|淹水|被淹|水淹|水浸|浸到|浸水|进水(?!阀|口|管|[^,，。\s]{0,3}阀)|(?:屋|家|客厅|厨房|卫生间|地上|楼道|地下室)[^,,。\s]{0,3}(?:全|都)是水|入晒水|发大水|到处(?:都)?是水|"
        r"跑水了|水[^,,。\s]{0,3}往楼下(?:灌|流|漫|冲|淌|渗)|一地(?:的)?水|水"
        + _GAP
        + r"(?:喷|哗哗|止不住|关不住|往外冒|往下流|流得到处)|下雨(?:一样|似的)|落雨咁|"
        r"(?:水|漏)[^。]{0,8}(?:沿(?:住|着)电线|电线[^。]{0,4}滴)|(?:插座|插苏|电线|电箱)[^。]{0,3}(?:都)?(?:(?<!灯)泡|湿|进水)|"
        r"漏水" + _GAP + r"(?:电线|电箱|插座|电闸)|灯(?:罩|里)[^,,。]{0,4}(?:滴水|积水|进水)|"
        r"\b(?:flood(?:ed|ing)?(?!\s+(?:in|of)\s+(?:this |the |our )?"
        r"(?:group|chat|messages|photos|pics|posts))|"
        r"burst pipe|pipe (?:has )?burst|water everywhere|water (?:is )?pouring)\b"
    ),
    "trapped": (
        r"被困|困在|(?:澡盆|浴缸|浴盆)[^。]{0,8}(?:起不来|爬不(?:出|起)|出不来|爬唔返)|(?:听见|听到)[^。]{0,6}(?:有人)?(?:呼救|喊救命)|困住|(?:关|困|锁)(?:在)?电梯(?:里|里面|里头)|困(?:了|咗)人|困人|困(?:咗|了)喺|焗住|被反锁|反锁(?:了|咗)?|"
        r"(?:被)?(?:关|锁|困)在[^,.!?;。!?;\s]{0,12}(?:里|间|室|屋|出不)|"
        r"锁(?:在)?里头|卡(?:在)?[^。]{0,6}(?:电梯|浴缸|中间)|卡在[^。]{0,6}(?<!哪)(?<!嗓子)(?<!喉咙)(?<!喉嚨)里|"
        r"(?:电梯|𨋢|垫梯|店梯)[^。]{0,14}(?:困|卡|关|停|stuck)[^。]{0,14}(?:人|里面|里头|中间|之间|出不)|"
        r"(?:里|在|困|锁|卡|关|中间)[^,.!?;。\s会班忙位司]{0,8}出不(?:来|去|嚟)|"
        r"在阳台(?:上)?[^。!?]{0,20}(?:进不|锁)|进不(?:去|了屋|来)[^。!?]{0,20}在阳台|"
        r"在(?:里面|里头)[^。!?]{0,12}(?:打不开|出不|开不了)|(?:进不去|打不开)[^。!?]{0,12}在(?:里面|里头|阳台)|"
        r"我在(?:家里?)?(?:的)?(?:卫生间|厕所|浴室|洗手间)[^。!?]{0,12}(?:打不开|开不了|出不)|"
        r"(?:关|锁|困|卡)在[^,.!?;。]{0,16}\b(?:elevator|lift)\b|"
        r"\b(?:trapped|stuck in (?:the |an |a )?(?:elevator|lift|bath|tub)|locked (?:in|inside)|"
        r"stuck in [^,.!?;]{0,12}\b(?:lift|elevator)|"
        r"locked (?:him|her|them|my)sel(?:f|ves) in|between floors)\b|"
        r"(?:关|锁|困)在(?:了)?阳台(?:上|外)?|掉(?:进|到|在)?[^,,。]{0,2}冰窟窿|"
        r"(?:我|她|他|人|老爷子|老太太|孩子|奶奶|爷爷|小孩)[^,,。]{0,3}压(?:在)?(?:底下|下面)|"
        r"压(?:着|住)(?:了)?(?:我|她|他)的?(?:腿|脚|身子)"
    ),
    "missing": (
        r"走失|走丢|(?<!看)不见了|不见人|找不(?:到|着)(?!" + _NOT_SOMEONE + r")(?:人|了|他|她)?|"
        r"(?:到现在|至今|一直)(?:都|还)?没(?:有)?找(?:着|到)(?!" + _NOT_SOMEONE + r")|寻不着|寻不到|寻勿着|"
        r"(?:奶奶|爷爷|姥姥|姥爷|外婆|外公|爸|妈|舅|叔|伯|姨|姑|老人|老头|老太|老爷子|孩子|儿子|女儿|闺女|人)"
        r"[^。]{0,6}(?:还|仍)(?:是)?没(?:有|得)?(?:找(?:着|到)|消息)|仲未返|"
        r"找到的不是(?:他|她|佢|伊)|(?:孩子|小孩|娃娃?|宝宝|孙子|孙女)\s?(?:弄)?丢(?:了|咗)(?!\s?(?:一|个|只|件|把|张|钱|手|钥|东|包|卡|证|伞|玩|作))|"
        r"床(?:上)?(?:的)?(?:被子)?[^,,。\s]{0,3}(?:没动过|是空的|空着|是冷的|都是冷的|冰凉)|被子(?:都)?没(?:动|打开|睡)过|"
        r"人影(?:儿|子)?(?:都|也)?(?:没|莫|冇)(?:见|看)(?:着|到)?|摸出去|"
        r"\bbed (?:hasn'?t been|wasn'?t|not been) slept in\b|"
        r"联系不上|失联|揣无人|揣(?:袂|无)(?:着|到)|(?<![老总常])(?:不认得|认不得|不记得|找不到|找不着)回家的路|"
        r"\b(?:doesn'?t|can'?t|couldn'?t) (?:find|remember|know) (?:the|his|her|my) way (?:home|back)\b|"
        r"一直没回来|还没回(?:来|家)?|(?:还)?没到家|没回家|没回来|没上来|未返(?!乡|校|工|岗)|未回|未归|未转来|没影了|找遍|找疯了|"
        r"(?:一转眼|一眨眼|一阵间|一回头|转个身|扭头)[^。]{0,6}(?:没|不见)|无去矣|跑出去|溜(?:达)?出去|(?:走|行)(?:了|咗)?出(?:了)?(?:小区|屋苑|家门)|"
        r"出门" + _LONG_GAP + r"(?:没回|未归|还没|到现在|都没)|"
        r"(?:说|讲)(?:要)?去[^。]{0,24}(?:压根|根本|说|讲)(?:就)?没(?:去|来过|到|来|见着人)|"
        r"(?:说|讲)(?:他|她|人)?(?:今天)?(?:根本|压根)?(?:就)?没(?:到|来过|来(?!得)|约)(?![^,,。\s]{0,2}(?:货|件|单))|"
        r"(?:回来|回头|出来|醒来|起来)[^。]{0,10}(?:没人了|人没了|不在(?:了|长椅|椅子|床|座位))|还没进门|"
        r"\b(?:can'?t remember|doesn'?t know) where (?:she|he) lives\b|"
        r"(?:出门|出去|走了)[^。]{0,8}(?:快|都|已经)?[两三四五六七八九十几]个(?:多)?(?:钟头|小时)(?:了|还|都)|"
        r"(?:看不到|看不见|莫见|冇见|没见着)人(?:了)?|(?:轮椅|车)和人都没了|人不在(?:病床|床)上|失踪(?![一似])|下落不明|不知去向|"
        r"(?:帮|帮忙)(?:我)?找(?:找|一下)?(?:我)?(?:爸|妈|爷爷|奶奶|外公|外婆|老伴|孩子|儿子|女儿|姥)|"
        r"自己(?:开门|出门)?(?:出(?:咗|了)?去|离开|走了|跑了)|(?:开门|出门)(?:离开|走了)|离开(?:了)?(?:家|小区)|"
        r"趁[^。]{0,8}(?:不注意|没注意|午睡|睡着)|"
        r"\b(?:dementia|alzheimer'?s)\b[^.!?]{0,25}\bgone\b|"
        r"\b(?:missing|wandered off|slipped out|walked out|wandered out|can'?t find (?:him|her|my|our)|"
        r"hasn'?t come (?:back|home)|still not back|"
        r"still no sign|no sign of (?:him|her)|still not found|didn'?t come home|never (?:came|made it) home|"
        r"lost (?:my|our) (?:dad|mom|grand\w*))\b"
    ),
    "electric": (
        r"触电|电(?:到|着)了人|被电(?:到|着|了|击|打)|(?:让|叫|给)电(?:打|击)(?:了|到|着)|予电着|(?:摸|碰)[^。]{0,4}电线[^。]{0,6}(?:电|倒)|"
        r"\b(?:electrocuted|electric shock|(?:power line|live wire)s? (?:is |are )?(?:down|sparking))\b"
    ),
    "falling": (
        r"(?:架子?|绳子?|钢丝)[^,,。]{0,4}断了|(?:斜着)?往下滑|半空中?散开|(?:要|快|会)掉下来|掉下来了|(?:就|只)剩一边|一吹就晃|随时会掉(?!线)|往下掉|摇摇欲坠|摇摇晃晃|悬着|随时会砸|砸下来|要砸|松了在晃|晃得厉害|"
        r"(?:冰挂|冰溜子|冰盖|冰块)[^。]{0,12}(?:掉|砸|滑)|\b(?:falling off|about to fall|could fall)\b"
    ),
    "other_medical": (
        r"快\s?(?:叫|打|喊)?\s?(?:救护车|120)|"
        r"失温|体温[^,,。]{0,4}3[0-5](?:度|°)|打寒战停不下来|\b(?:went|turned) white and numb\b|"
        r"(?:四十|40)\s?(?:度|°)[^。]{0,16}(?:下不了床|起不来|模糊|说胡话|打摆子)|休克|眼前(?:一阵(?:一阵)?)?(?:发黑|一黑)|破水了|羊水(?:好像)?(?:也)?破了|(?:怀孕|孕)[^。]{0,8}(?:个月|周)[^。]{0,30}(?:见红|出血|流血)|血压(?:蹿|升|飙|冲)(?:到|上)?(?:了)?2\d\d|被[^,，。]{0,6}(?:狗|藏獒|猫)咬|"
        r"\b(?:dog (?:just )?bit|face (?:is )?swelling|in labou?r(?! (?:at|in) ))\b|"
        r"谁(?:家)?有[^。]{0,4}(?:速效救心丸|救心丸|硝酸甘油)|"
        r"浑身(?:冒)?冷汗|"
        r"过敏[^。]{0,8}(?:肿|喘|呼吸)|(?:喉咙|脸)肿|高烧[^。]{0,8}(?:抽|不退|说胡话)|"
        r"血糖(?:低|太低)[^。]{0,8}(?:汗|晕|说不|抖)|砸(?:到|中|伤|着)?[^。]{0,4}人|羊水破|救\s?命|九命\s*九命|(?:叫|打)(?:个)?(?:旧货车|就护车|就会车|就符车)|(?<!救)救我(?=\s*$|[!!])|(?:狗|猫)?咬(?:伤|了)?人|"
        r"(?:一身|浑身|满头|直)(?:冒)?冷汗|出冷汗|疼得(?:在地上|直)?打滚|低血糖[^。]{0,10}(?:发抖|抖|倒|晕|汗|说不)|"
        r"落水(?!管)|(?:河|湖|江|池|塘|水)里[^。]{0,6}(?:有人)?[^。]{0,4}扑腾|掉(?:进|到|下)(?:去)?(?:水(?!箱|槽|池子|桶|盆|杯|缸)|河|湖|冰|井)|冰(?:面)?[^。]{0,6}(?:破|掉下去)|有人掉下去|"
        r"(?:人|kid|孩子|小孩|老人)[^,.!?;。]{0,4}掉(?:下去|进去|到水)|"
        r"(?:人|他|她|佢|爸|妈|爹|娘|爷爷|奶奶|外婆|外公|姥姥|姥爷|老头子?|老爷子|老太太?|老伴)(?:快|要|好像|怕是|眼看)?不行了|"
        r"\b(?:ambulance|call 120|sos(?!\s*(?:功能|键|button|feature))|help!!|need help now|"
        r"fell through the ice|can'?t talk properly|blood sugar (?:crashed|dropped|is low))\b"
    ),
}


def _pinyin(*phrases: str) -> str:
    """Toneless pinyin, as typed by someone who can't find the characters: syllables apart or joined."""
    # Two syllables run together are too often a name or an English word ("xiongmen"): apart only.
    return "|".join(
        r"\b" + (r"\s?" if len(phrase.split()) > 2 else r"\s").join(phrase.split()) + r"\b"
        for phrase in phrases
    )


# The same states in pinyin ("wo ma shuai le qi bu lai"): a few words each, the ones said in a hurry.
_PINYIN: dict[str, str] = {
    "fall": _pinyin("shuai dao", "shuai le", "die dao", "qi bu lai", "pa bu qi lai"),
    "unconscious": _pinyin("yun dao", "yun guo qu", "hun mi", "jiao bu xing", "mei fan ying", "mei hu xi"),
    "chest_pain": _pinyin("xiong kou teng", "xiong kou tong", "xiong men", "xin zang bing"),
    "breathing": _pinyin("chuan bu shang qi", "chuan bu guo qi", "hu xi kun nan"),
    "stroke": _pinyin("zhong feng", "zui wai", "shuo hua bu qing"),
    "bleeding": _pinyin("liu xue", "chu xue", "zhi bu zhu", "liu bu ting"),
    "choking": _pinyin("ye zhu", "qia zhu", "ka zhu le"),
    "burn": _pinyin("tang shang", "shao shang"),
    "seizure": _pinyin("chou chu", "kou tu bai mo"),
    "poisoning": _pinyin("zhong du", "nong yao", "wu he", "wu chi"),
    "self_harm": _pinyin("bu xiang huo", "zi sha", "tiao lou"),
    "fire": _pinyin("zhao huo", "qi huo", "mao yan", "huo zai"),
    "gas": _pinyin("mei qi wei", "ran qi wei", "mei qi xie lou", "ran qi xie lou", "lou qi"),
    "flood": _pinyin("bao guan", "shui guan bao", "shui man", "yan shui", "jin shui le"),
    "trapped": _pinyin("kun ren", "kun zhu", "kun zai", "chu bu qu", "chu bu lai"),
    "missing": _pinyin("zou shi", "zou diu", "bu jian le", "zhao bu dao"),
    "other_medical": _pinyin("jiu ming", "xue tang di", "xiu ke") + r"|\bjiuming\b",
}
_CUES = {
    kind: compile_cues(pattern + ("|" + _PINYIN[kind] if kind in _PINYIN else ""))
    for kind, pattern in _KINDS.items()
}
KINDS = tuple(_KINDS)
"""Every kind of danger the reader names; a model-only alarm is kind "other"."""

_PERSON = compile_cues(
    r"人|老|奶奶|爷爷|姥|外婆|外公|阿婆|阿公|阿嬷|阿爷|婆婆|公公|大爷|大妈|阿姨|叔|伯|妈|爸|娘|爹|孩子|小孩|"
    r"宝宝|娃|囡|细路|儿子|女儿|孙|他|她|我|俺|佢|伊|邻居|\b(?:he|she|someone|man|woman|kid|child|people|dad|mom)\b"
)
# Missing is only a danger for a person who can't find their way back (dementia, a small child),
# or an elder out alone for long; a cat, a parcel or keys are not.
_VULNERABLE = compile_cues(
    r"痴呆|失智|阿尔茨海默|认知障碍|脑退化|糊涂|记性不好|不认(?:识)?路|认不(?:得|到)路|(?:袂|不|勿)记得路|脑子不好|老人家|小孩|孩子|"
    r"宝宝|娃|小囡|细路|小子|放学|几岁|\d+岁|[一二两三四五六七八九十]岁|儿子|女儿|男孩|女孩|儿童|"
    r"老(?:人|太|头|爷子|大爷)|奶奶|爷爷|姥|外婆|外公|阿婆|阿公|阿嬷|阿妈|阿爸|婆婆|伯|大爷|妈|爸|父亲|母亲|"
    r"神志不(?:太)?清|精神不(?:太)?好|智力|唐氏|盲人|失明|看不见|听障|聋哑|"
    r"learning difficult|\bblind\b|down'?s syndrome|"
    r"dementia|alzheimer|confused|\bkids?\b|child|toddler|\bson\b|daughter|\bboy\b|\bgirl\b|year old|"
    r"grand(?:ma|pa|mother|father)|\bmom\b|\bdad\b|\bmum\b|\bmother|\bfather\b|\byrs?\b|\belderly\b|"
    r"\bold (?:man|lady|woman)\b|\bgets lost\b"
)
_DEVICE_STATE = compile_cues(
    r"(?:电饭锅|电脑|手机|电视|收音机|音箱|冰箱|洗衣机|空调|热水器|门禁|遥控器|路由器|wifi|网络|打印机|微波炉|电磁炉|灯|插座|"
    r"电动车|app|小程序|\b(?:phone|laptop|tv|fridge|router|printer)\b)"
    r"[^。!?]{0,8}(?:没反应|没声|不动|坏了|打不开|开不了|黑屏|死机|不亮|不转|not responding|dead|broken)"
)
_CANT_GET_UP = compile_cues(
    r"(?:爬|站|起|坐)(?:不|袂|勿)(?:返)?起(?:来|身)?|起不(?:到|了|返)身|起不来|动不了|不能动|动弹不得|郁不到"
)
_FALL_CONTEXT = compile_cues(
    r"摔|跌|倒(?:在|地|了)|滑|栽|地上|地下|地板|浴缸|厕所|卫生间|楼梯|床下|\b(?:fell|floor)\b"
)
_MILD_WATER = compile_cues(
    r"少少|一点点|有点|一点|小小|滴水|滴着|在滴|一直滴|一滴一滴|滴紧|鱼缸|渗|滴答|嘀嗒|下水道|地漏|马桶|堵|(?:阀门?|总闸)[^。]{0,3}关了|关了(?:总)?阀|(?:已经|以经)关了"
)
_STILL_TALKING = compile_cues(r"能说话|能喝水|说得出话|能出声|\bcan (?:talk|speak|still breathe)\b")
_BLOOD = compile_cues(r"血|红|口子|伤|割|划|切|刀|玻璃|\b(?:blood|cut|wound|spurt\w*|bleed\w*|xue|xuè)\b")
_GADGET_OR_TEAM_BEFORE = compile_cues(
    r"音箱|小度|小爱|天猫精灵|语音助手|机器人|遥控|摇控|手环|控制杆|收音机|麦克风|路由器|座钟|摆|电视|电脑|"
    r"\b(?:siri|alexa|laptop|computer|screen|router|santa|england|team|landlord)\b"
)
"""A gadget, a team or a landlord that does not respond: "遥控器按了没反应", "England collapsed"."""
_ABSORBED_OR_ASLEEP = compile_cues(
    r"打游戏|打机|玩手机|抱着手机|看(?:nba|球|电视)|动画片|熬夜|喝大了|喝多了|灌得|灌醉|睡得(?:好|很)?熟|"
    r"降噪耳机|\b(?:party|graduated|into bed|from iit)\b"
)
_STILL_UNWELL = compile_cues(
    r"呼吸|没气|嘴唇|脸色|发紫|发青|吐了|口吐|口水|怪|抽|冰凉|叫不应|\b(?:breath\w*|blue|vomit\w*)\b"
)
_ABOUT_TO = compile_cues(r"(?:快要|快|要|都要|差点|差一点|开心到|开心得)$")
_INSURANCE = compile_cues(r"保险|家财险|理赔|定损|索赔|赔偿|赔不赔|\b(?:insurance|insurer|claim)\b")
_FLOOD_FIGURE = compile_cues(
    r"被(?!水|雨)[^,,。\s]{1,5}淹|水漫金山|一口水喷|关卡|\b(?:flooded with|an ark)\b"
)
_BABY_TOOTH = compile_cues(r"换牙|乳牙|牙仙|\b(?:baby tooth|tooth fairy)\b")
_TOILET = compile_cues(r"马桶|下水道|地漏|水箱|堵|塞(?:咗|了|住|去)|去水|通渠|\b(?:toilet|drain|clogged)\b")
_WATER_ON_POWER = compile_cues(r"电线|插座|电箱|电闸|配电|电门|\b(?:socket|wiring|fuse)\b")
_STRONG_WATER = compile_cues(
    r"淹|喷|哗哗|止不住|关不住|到处|漫|膝盖|一地|往外冒|电线|插座|电箱|灯(?:罩|里)|flood|everywhere|pouring"
)
_ALONE = compile_cues(
    r"独居|一个人住|自己住|一家头住|(?:他|她|佢|伊)一个人(?!去|来|走|出)|心脏|血压|糖尿病|"
    r"\b(?:lives alone|heart)\b"
)
_A_CALL = compile_cues(r"电话|视频|视像|視訊|视讯|video|按(?:电|门)?铃")
_AWAY = compile_cues(
    r"(?<![不没])(?:应该|估计|可能|大概|八成|怕是|多半)(?:是)?(?:出(?:去|门)|不在家|没在家|在(?:公园|外面|楼下|菜市场|超市|广场))|(?:出去|出门)(?:遛弯|买菜|散步|锻炼|玩)了|"
    r"(?:估计|应该|可能)(?:是)?没听(?:着|见|到)"
)
"""An unanswered knock with its reason ("敲门没人应 应该是出去遛弯了"): nobody is missing."""
_PHONE_EXPLAINED = compile_cues(
    r"(?:估计|应该|可能|大概|八成|多半)(?:是)?(?:又)?(?:手机)?(?:没电|静音|没开声音|忘了开声音|没叉电|没充电|"
    r"睡着|在睡|睡觉|午睡|在看戏)|(?:手机|电话)[^,,。\s]{0,4}(?:扔|放|丢|落)[^,,。\s]{0,4}(?:抽屉|家里|客厅)"
)
"""A call unanswered with its likely reason ("电话没人接 估计又静音了"): a neighbour asked to knock."""
_ROUTINE_MISSED = compile_cues(_HABIT_MISSED)
"""A habit not kept is an alarm only for someone who lives alone (``_counts``)."""
_NO_ANSWER = compile_cues(
    r"(?:没|不|冇|勿|无)(?:人)?(?:应|开门|接|回)|一口没动|没动过|原样|还挂着|"
    r"\b(?:not answering|hasn'?t (?:picked up|answered)|no answer)\b"
)
"""Someone not answering, or what they left untouched: a past word says for how long (``_harmless``)."""
# A falling object is a danger when people are below it.
_PEOPLE_BELOW = compile_cues(
    r"(?:下面|底下|下边|楼下)[^。]{0,10}(?:人|小孩|孩子|老|幼儿园|人行道|排队|玩|白相|晒太阳|门口|放学)|"
    r"playground|footpath|people below|someone below|people under|entrance|"
    r"(?:单元门|门口|进出)[^。]{0,8}(?:人|走)"
)
_THING_BEFORE = compile_cues(
    r"(?:手机|手表|电脑|钥匙|钱包|卡|证|快递|包裹|假牙|机器人|扫地机|助听器|拐杖|户口本|存折|东西|猫|狗|宠物|鹦鹉|车|充电器|眼镜|遥控器|文件|发票|单子|网上|上网|网站|小程序|"
    r"药|镜|筒|说明书|笔|软件|图标|频道|袋|取件码|号码|联系人|衣服|衣裳|啲衫|洗衣机|"
    r"phone|keys?|wallet|parcel|cat|dog|pet|clothes|laundry)" + r"[^,.!?;。]{0,6}$"
)
_INFLATED = compile_cues(
    r"胎|轮椅|轮子|辘|自行车|电动车|单车|气球|气垫|充气|打气|篮球|足球|面罩|呼吸机|\bcpap\b"
)
_PETS = r"猫|狗|鹦鹉|兔子|仓鼠|狗子|乌龟|龟|麻雀|鸽子|小鸟"
_PET = compile_cues(_PETS + r"|宠物|\b(?:cat|dog|pet|kitten|puppy)\b")
# "猫咪刚刚从冰箱上面摔下来", "猫坐在窗台上": the pet is who fell or sits there (in the same clause,
# nobody else named after it).
_PET_BEFORE = compile_cues(r"(?:" + _PETS + r")[^,.!?;。\s人老奶爷妈爸他她我佢伊]{0,8}$")
# "之前中风" / "去年摔过" / "after his stroke": a history, not an event now.
_HISTORY_BEFORE = compile_cues(
    r"(?:之前|以前|去年|前年|上个月|上(?:个)?(?:周|礼拜|星期)|上回|上次|前两天|前两日|前些天|前几天|那年|曾经|得过|有过|患过|"
    r"[一二两三四五六七八九十几\d]+年前|那(?:次|回)|"
    r"after (?:his|her|my|the|a|an)(?: small| big| mild)?)[^,.!?;。]{0,3}$"
)
_SMOKE_SOURCE = compile_cues(
    r"烧烤|烤串|烤肉|bbq|barbecue|油烟|抽烟|吸烟|烟头|二手烟|烟瘾|烟花|鞭炮|炮仗|烧纸|香火|蚊香|烟囱|雾霾|烧糊|炒菜|"
    r"炒辣椒|做饭|煎|熏|烧咸肉|炖|锅炉|压力|糊(?:了|锅)|[烤烧煮炖煎炒烙蒸]糊|烧焦了|锅巴|烧焦脱|烤红薯|烤地瓜|\b(?:smog|toast\w*|burnt)\b"
)
_FIRE_ITSELF = compile_cues(
    r"着(?:了|咗)?火|烧着(?:了)?|[拍扑]不灭|火灾|失火|起火|烧起来|燃起来|火苗|火光|明火|火势|火烧到|窜起来|烧紧|"
    r"flames?|on fire|嘶嘶|\bhissing\b"
)
_NEGATION_BEFORE = compile_cues(
    r"(?:没|没有|没人|没得人|冇人|不是|毋是|唔系|唔是|不系|不|并没|未|无|别再有?|别|不会|不用|不要|防|预防|避免|以防|以免|免得|省得|怕|担心|险险(?:仔)?|差点(?:就|儿)?|差一点(?:就)?|险些|几乎|"
    r"\bnot?\b|\bnot (?:a|an|any)|差点[^,,。\s]{1,6}|"
    r"\b(?:almost|nearly)(?: (?:had|have|having|got|gave (?:me|him|her)))?(?: an?)?)\s*$"
)
# "气得快晕过去", "辣得喉咙冒烟", "吓出一身冷汗": a figure of speech, not a state.
_FIGURE_BEFORE = compile_cues(
    r"(?:(?<![吸喘呼透])气|辣|笑|累|热|冷|饿|吓|烦|困|忙|晒|急|疼|压力大|(?<!血)压|逼|愁|紧张|嬲|堵|干|渴)(?:得|的|出|到)[^,.!?;。]{0,6}$|挤得[^,.!?;。]{0,6}$|被[^,.!?;。\s]{0,4}气$|还寻思[^,.!?;。\s]{0,6}$|(?:加|干|忙|熬|写)到$|得我(?:都|快|要)?$|以为[^,.!?;。\s]{0,3}$|"
    r"(?:购物车|钱包|股票|基金|账户|工资|上火|账|电费|单子|股市|炒股|a股|港股|美股|股价|酒股|个股|大盘)[^,.!?;。]{0,6}$|"
    r"(?:群消息|邮件)[^,.!?;。\s]{0,2}$|\bheart\s*(?:is|在)?\s*$|输(?:到|得|惨了)$|(?:我|俺)直接$|\bcpu\b[^,.!?;。]{0,2}$|(?:鹦鹉|八哥)[^,.!?;。]{0,6}$|"
    r"\bso (?:stuffed|full)\b[^.!?]{0,6}$|"
    r"(?:(?<!能)看到|看完|看得|睇到|听到)[^,.!?;。]{0,12}$|(?:累|热|冷|饿|困|吓)$|"
    r"(?:老板|领导|wifi|网络|网|电脑|手机|系统)\s?又?$|堵(?:车|在|住)[^,.!?;。]{0,10}$|(?:嗓子|喉咙)(?:眼)?(?:都)?$|"
    r"\b(?:giving me|gave me|give me) an?\s*$|\b(?:until|till) (?:i|we|me)\s*$|"
    r"\b(?:brain|mouth|tongue)(?:'s| is| was)?(?: literally| totally| actually)?\s*$|"
    r"\bears?(?: are| is)?\s*$|"
    r"\b(?:portfolio|stocks?|shares|market|laptop|roomba|lego|inbox|wallet|feed|bank account)\b"
    r"[^,.!?;。]{0,14}$"
)
# "一看电费单 心梗都要犯了": the looker's own shock, a figure of speech for the states a shock can
# stand for; a fall, blood or an empty bed found at a look ("进去一看地上都是血") is the danger itself.
_SEEN_BEFORE = compile_cues(r"一看[^,.!?;。]{0,12}$")
_SHOCK_FIGURES = frozenset({"chest_pain", "unconscious", "self_harm", "breathing", "stroke", "other_medical"})
# "加班加到想跳楼", "难受得想死": pushed to saying it; "这几个月的安眠药" is a measure of time, not that.
_PUSHED_TO = compile_cues(
    r"(?:得|到|(?<![月天年个这那真])的)(?:我|人)?(?:都|直接)?(?:快)?(?:想|要)?(?:从[^,,。\s]{0,5})?$"
)
# "卡过" / "摔过" / "中风后": what follows tells an experience or an aftermath, not an event now.
_AFTERMATH = compile_cues(
    r"^了?(?:过(?![来去脚膝腰腿])|后(?!来)|那(?:户|家)|以后|已后|之后|多年|几年|好几年|受灾|那(?:次|回|场)|的事|后遗症|的地方|处|的伤|的疤|还没好|放了支架|装了支架)"
)

# "心梗都快犯了", "heart attack material": a figure of speech told by what follows the words.
_ALMOST_AFTER = compile_cues(
    r"^(?:都|就|简直)?快(?:要)?(?:犯|发作|来|出来)了|^都要犯了|"
    r"^\s*(?:要来了|material|moment\b|for\b|off the wagon|level\b|on a plate|averted|"
    r"when (?:i|we|he|she) (?:saw|see|opened|read|got|heard|looked)|when the (?:bill|price)|"
    r"of (?:embarrassment|laughter|boredom|shame|cringe))"
)

# What plainly makes danger words harmless. Each needs to stand without a sign of danger now.
_DRILL = compile_cues(
    r"演练|演习|演示|示范|试压|安检|安全检查|消防检查|年检|培训|讲座|直播课|直播讲|课程|测试|"
    r"\b(?:drill|inspection|training|workshop|(?:alarm )?test(?:ing)?|"
    r"first[- ]aid (?:class|course|session))\b"
)
_NOT_A_DRILL = compile_cues(
    r"(?:不是|并非|非|不系|不像|不似)(?:演练|演习)|(?:演练|演习)[^,,。]{0,3}不是的|\bnot (?:a )?drill\b|"
    r"(?:这次|这回|今次|这趟)(?:是)?真的|(?:不是|没)(?:在)?(?:开)?玩笑|别当(?:我)?(?:是)?(?:在)?(?:开)?玩笑|"
    r"(?<!not an )(?<!not a )\b(?:actual|real) (?:flames|fire|smoke)\b"
)
_PAST = compile_cues(
    r"上周|上个月|旧年|那年|一晃|(?:几|两|三|\d+)个(?:多)?月前|走得(?:好|很|太|这么|那么)?突然|前两天|前儿个|前阵儿|顶礼拜|顶日仔|(?:几|十|两|三|\d+)年前|上(?:个)?(?:礼拜|星期)|上次|上回|上趟|那次|那回|那天|去年|前年|以前(?!从没|从来没|没有过)|之前(?!从没|从来没|没有过)|当年|小时候|前几天|前些天|前阵子|"
    r"前段时间|(?<!比)(?:昨天|昨晚|昨儿|前天)|\b(?:qu nian|zuo tian|shang ci)\b|"
    r"琴日|寻日|琴晚|寻晚|昨日|昨昏|前几工|前几日|彼摆|"
    r"\b(?:last (?:week|month|year|time|night|winter|summer|spring|autumn)|yesterday|earlier|throwback|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december)|"
    r"(?:\d+|a|two|three|few|several) (?:days?|weeks?|months?|years?) ago)\b"
)
_OVER = compile_cues(
    r"(?:已经|终于|总算|都)[^,.!?;。没未不]{0,4}(?:找到|找着|回来|回家|好了|没事|灭了|扑灭|修好|处理|救出|醒了|"
    r"出院|稳定|送(?:到|去)?医院|住院|脱离危险)|找到了|找着了|平安|虚惊|处理完毕|安全救出|无人员受伤|(?:没有|无)生命危险|(?:冇乜|没什么|并无)大碍|没(?:得|啥|什么)?大事|没事回家了|没(?:有)?着火|还好还好|好佳哉|自己吓自己|好返(?:好多|晒)|误报|没事了|好多了|恢复|康复|出院(?!才|不到|没(?:一|几|两|三|多久))|"
    r"(?:缓|歇|坐|躺|吃|喝)[^,,。]{0,8}就好了|(?:一阵|一会|一下)[^,,。]{0,3}就(?:冇|没)事|而家(?:冇事|没事|好返)|神志清(?:醒|楚)|(?<!不)属(?:于)?正常|(?<!不)正常现象|"
    r"已经[^,,。没未不]{0,5}回去了|(?<![想要能])自己(?:站|爬|企)?(?:了)?(?:返)?起(?:来|身)(?!不)|企返起身|爬返上|送(?:咗|了)(?:去)?院|清醒了|(?:送|拉|载)(?:到|去)?[^,,。]{0,4}医院(?:去)?了|情况说明|拆(?:了)?(?:纱布|线)|已(?:经)?送医|送医了|人(?:很)?清醒|意识清(?:醒|楚)|"
    r"\b(?:found (?:at|in|safe|him|her)|"
    r"(?:he|she|they|grandpa|grandma|dad|mum|mom|kid|son|daughter)(?:'s| is) home)\b|"
    r"(?:放|弄|救|抱|拉|撬|扶)出来(?:了|咗|的)(?![吗嘛么没未])|人(?:都|已经)?出来了(?![吗嘛么没未])|"
    r"(?:挺|熬)过来了|啥都赶上了|(?:水浸|浸水|被淹|淹)完|已撤销|(?:咱们|我们)小区没事|(?<![灶眼儿炉])没着(?=\s|$|[,，。!！])|^(?:已经)?(?:关|拧)(?:住|上|好|紧|咗)?了?(?=\s)|"
    r"(?:回|覆)(?:了)?我(?:了|电话|消息|信息)|回电(?:话)?了|\b(?:called|texted|rang) (?:me )?back\b|"
    r"\b(?:nvm|oh wait|false alarm|never ?mind,? (?:it'?s|its|just|turns out))\b|"
    r"\b(?:mei shi le|xu jing|(?:is|are) (?:ok|okay|fine|safe) now|all (?:ok|okay|safe) now)\b|"
    r"\b(?:recovery is going well|recovering well|doing much better)\b|"
    r"善后|后怕|多亏|原来|别当真|发错(?:群|了)|(?<![没未不])缓过(?:来|劲)(?![^,,。\s]{0,2}[吗嘛么])|(?<![没未不])醒(?:返|过来)了|警情解除|解除警报|排查完毕|已排除|由(?:他|佢)(?:去|啦)|笑成一团|打的麻药|拔完牙|已经(?:出来|回去|送回|醒)|出(?:了|咗)(?:来|嚟)|(?:寻|找)着了|送回去了|"
    r"现在(?!还)[^。]{0,8}(?<![不没])(?:好|能|正常|没事|稳定|可以)|(?:但|都|也|还好|人)没(?:啥)?事|人好好的|啥事没有|"
    r"(?:换|修|处理|弄|搞)好了|解决了|没着起来|拔了(?:插头)?|扔(?:掉)?了|现在[^。]{0,8}(?:不疼|不痛|没再|没留|结痂)|"
    r"无代志|无要紧|免烦恼|好矣|不碍事|早(?:就)?灭了|(?:里头|里面)没(?:得|有)?人(?![应答开回理接])|"
    r"(?:歇|休息)(?:会儿|一下)就好了|(?:甭|不用)打120了|(?:心电图|片子|检查)[^,,。]{0,2}没事|(?<!刚)才(?:晓得|知道)(?:他|她|人)?(?:跑|在|去)|血[^。]{0,14}(?:止住|停)(?:了|哒|咗)|(?:就|总算|终于|已经)止住了|不冒了|不漏了|(?:阀|闸)[^,,。]{0,2}关(?:好|上|掉)?了(?!吗)(?![^。]{0,8}(?:还在|还是|仍|照样|止不住))|咳出来了|以经(?:出来|好|没事|找到|回来)|(?<!是)不是(?:燃气|煤气|天然气|失火|着火|火灾|漏气|中风|心梗|脑梗|骨折)|不系(?:煤气|火)|渠味|"
    r"(?:喊|叫|嗌)救命(?:的|嘅)(?:是|係|系)|那声救命(?:是|係|系)|学(?:人)?(?:喊)?救命|能喘气了|救护车(?:到了|来了)|(?<![灶炉气])火(?:已经)?(?:灭了|扑灭|灭脱|灭咗|灭掉了)|(?:就|马上|一下)(?:灭|熄)(?:了|咗|脱了|掉了)|没事体|冇事体|拉走(?:哒|咗|嘞)|"
    r"送(?:到|去)[^,,。\s]{1,8}(?:医院|科|急诊)(?:了|哒|咗|嘞)|扑灭了|没(?:有)?味(?:道)?了|味(?:道)?散了|说没(?:有)?漏|拧紧了|来看过了|没(?:人)?(?:受伤|伤人)|"
    r"送(?:了|咗)(?:去|到)?(?:急症|急诊|医院)|到(?:了)?医院了|监护室|(?:跟车|送|载|拉)[^,,。\s]{0,6}院(?:了|哒|咗)|醒返(?![未吗咩])|(?<![没未不冇])醒咗|"
    r"送得及时|来得及时|(?<!是)不是(?:咱们|我们|咱)小区(?!的)|在做(?:导管|手术|支架)|(?:医生|大夫)(?:已经)?到了|已(?:经)?送(?:去|到)?(?:急症|急诊|医院)|送(?:去|到)(?:急症|急诊|医院)了|在医院|(?<!上次)(?<!以前)(?<!之前)医生说|救护车来了|"
    r"住(?:了)?院了|住着院|在[^,,。\s]{0,6}院(?:里)?住着|重症监护|\bicu\b|(?:回|在)家(?:里)?(?:养|休养|静养)着|做完手术|"
    r"现在[^,.!?;。\s]{0,3}好了|(?:谢谢|感谢|多谢)大(?:家|伙)(?!上次|之前|推荐|的推荐)|谢谢关心|早好了|早就好了|拉走了|送走了|原来是|稳定|住院观察|"
    r"没(?:啥|什么)?大(?:事|碍)|无大碍|不严重|正常了|已经能|好转|能说话了|心有余悸|(?:测|查)过了|查清楚了|处置完毕|扶(?:起来|起身|上床)了(?![^。]{0,12}(?:但|可|不过|就是|只是))|(?:后来|最后)[^,,。]{0,6}(?:自己|自家)回来了|现在醒了(?![^。]{0,12}(?:但|可|不过|就是|只是))|抢救及时|救过来了|"
    r"怎么样了|哪能了|点样了|好点没|好些没|没得事|没有事了|冇事|没事\s*$|一点事(?:都|也)?(?:木有|没有)|"
    r"(?:^|[\s,,。!!])(?:没|木)事(?:了|儿)?(?=[\s,,。!!]|$)|查(?:了)?(?:查)?没事|(?:顺|咽)下去了|"
    r"\b(?:he|she|they)(?:'s| is| are) (?:fine|ok|okay|alright)\b|"
    r"just a (?:scrape|scratch|bruise|scraped|graze|grazed)|"
    r"已经(?:擦|涂|上|敷)(?:好)?(?:了)?药|(?:整|弄|修)好(?:咗|了)|多谢关心|阀(?:门)?已(?:经)?关|已(?:经)?关(?:总)?阀|关(?:了|好|掉)(?:总)?阀|"
    r"\b(?:found (?:him|her|them)|was found|home and (?:fine|safe|ok|okay)|"
    r"(?:is|are|got|came) (?:home|back) safe|"
    r"(?:is|are) (?:ok|okay|fine)[,.]? (?:just|only|thanks?)|"
    r"safe now|fine now|ok now|false alarm|all clear|recovered|back home|"
    r"turned out|conscious and|doing (?:ok|okay|alright)|"
    r"(?:know|knows) if [^.?]{0,60}(?:alright|ok|okay)|wrong (?:group|chat)|ignore (?:that|my last)|"
    r"doing fine|all good|are out|got out|is out|ambulance (?:is here|here|came|arrived|reached)|sewer|"
    r"not (?:a )?(?:gas|fire) leak|(?:they're|they are) taking (?:him|her|them) to|just bruised|"
    r"coughed it (?:out|up)|fixed|nothing happened|in hospital|on (?:a |the )?drip|rehab|"
    r"doctors? (?:says?|said)|"
    r"all (?:ok|okay|fine|quiet) here|water (?:is )?back on|plumber'?s? (?:done|been)|"
    r"recovering|not serious|nothing serious|no big deal|no flames|nothing broken|"
    r"helped (?:him|her|them) up|(?:he|she|they)(?:'s| is| are)? ok (?:already|liao)|"
    r"ambulance reach(?:ed)? (?:liao|already)|"
    r"came (?:round|around)(?![^.]{0,20}\bbut\b)|"
    r"ambulance took (?:him|her|them|us)|"
    r"(?:shaking|fit|seizure|convulsions?|bleeding) (?:has )?(?:stopped|slowed)|"
    r"(?:going|went|gone) to (?:the )?hospital for|"
    r"home from hospital|nobody (?:was )?hurt|no one (?:was )?hurt|"
    r"home now|stable|heard how|how is \w+ doing|"
    r"was just)\b"
)
_SWALLOWED = compile_cues(r"吃了|喝了|吞了|误服|误食|\b(?:swallowed|ate|drank)\b")
_LOOKS_FINE = compile_cues(
    r"看着还行|看(?:着|起来)(?:还)?(?:好|没事)|好像没事|现在还好|能跑能跳|还挺精神|"
    r"\b(?:seems|looks) (?:fine|ok|okay)\b"
)
_TREATED = compile_cues(r"医院|医生|洗胃|催吐|急诊|120|\b(?:hospital|doctor|a&e|er)\b")
_CORRECTED = compile_cues(
    r"更正|辟谣|谣言|澄清|别信|别转|别再转|(?:这条|那条|消息|传言|视频)(?:是)?假的|还以为出[^,,。]{0,3}事|原来是在|"
    r"(?:是|係|系)p(?:的|嘅)|p图|是错的|是误会|系误会|係誤會|\brumou?r\b"
)
# "应该没啥大事吧 就是…站不稳", "她说没事 可是…": the writer doubts the all-clear they report.
_HEDGE = compile_cues(
    r"应该(?:没(?:啥|什么)?大?事|不算急)|大惊小怪|说(?:是|她|他|自己)?没事(?:没事)?[^,,。]{0,3}(?:可|但|不过)|"
    r"(?:一直|老|非|硬|还)说(?:她|他|自己)?没事(?:没事)?(?:[^,,。]{0,3}(?:可|但|不过))?|"
    r"(?:一直|老|非|硬|还)说[^,,。]{0,6}就好了|(?:没事|不碍事|冇事|没啥事)\s?(?:就是|只是|不过|但是|可是)"
    r"(?=[^,,。]{0,4}(?:起不|动不|站不|爬不|说不|喘|不能动|叫不|醒不))|"
    r"\b(?:probably nothing|(?:might|may) be overreacting|"
    r"(?:keeps? saying|insists?|says?|said) (?:she|he|they)(?:'s| is| are) (?:fine|ok|okay))\b"
)
# Advice handed round ("识别中风 BE FAST … 立即就医") reads like an alarm but alarms no one.
_ADVICE = compile_cues(
    r"如出现|若出现|如闻到|若闻到|初期(?:会|會)|(?:大家)?收藏(?:一下|备用|起来)|如有[^。]{0,24}(?:立即|马上)(?:就医|拨打)|高发|冬季防|出现[^,,。]{0,10}(?:要|应|请)(?:马上|立即|立刻)|识别|记住|知识|科普|温馨提示|防走失|注意事项|须知|小常识|健康提醒|安全提示|提醒大家|高发期|症状|征状|一旦发现|时不要|"
    r"如有误食|要是出现|一旦出现|转给(?:家里)?(?:人|家人|老人|长辈|不常看群)|怎么办】|[①②③]|公众号|速看|长辈们|"
    r"(?:能|可)(?:不|唔|勿)?(?:能|可以)?[^。]{0,6}扶(?:起来|起身)?(?:吗|嘛|么|\?)|扶还是不扶|是(?:扶|叫)还是|"
    r"急救[::]|误区|正确做法|征兆|容易(?:中风|摔|晕|心梗|脑梗|中毒|起火|着火|失火)|就是[^,,。]{0,4}(?:信号|前兆)|转给你(?:在乎|关心|爱)的人|(?:一|两|几|\d+)(?:周|天)见效|降三高|软化血管|卫健委|疾控|谨防|切勿|早期信号|先兆|转给(?:家里)?的(?:人|家人|老人|长辈)|反诈|诈骗|骗子|推荐大家|卫教|口诀|属正常现象|请勿惊慌|(?:大家|都)(?:去)?学(?:学|下|一下)|学会|建议大家|给(?:家里)?老人(?:都)?(?:看看|配)|"
    r"\b(?:tips?|remember(?:ing)?|signs of|scam\w*)\b"
)
_FORWARDED = compile_cues(r"^转[^::\s]{0,12}[::]|转发|转自|【转[^】]{0,3}】|转的|\bfwd\b")
# A place in this compound, by number: "转自5号楼群: 5号楼下面有人…" is about here and now.
_HERE = compile_cues(
    r"\d+\s*(?:号楼|号门|栋|幢|座|单元|期)|(?:我们|咱们?|本)(?:楼|小区|单元)|\b(?:building|block|bldg) ?\d+"
)
_NOTICE = compile_cues(
    r"通知|公告|温馨提示|提示|提醒|知识|宣传|科普|识别|记住|注意事项|须知|报名|\b(?:notice|reminder)\b"
)
_AD = compile_cues(
    r"包邮|买[一二两]送[一二]|下单|优惠价|秒杀|团购价|批发价|24小时上门|上门服务|专业开锁|意外险|(?:都)?能赔|"
    r"\b(?:bulk price|dm for|free shipping|buy one get one|fire sale)\b"
)
"""An advert selling a smoke alarm or a fall mat alarms no one, whatever it says to do in a fire."""
_HOWTO = compile_cues(
    r"应该怎么|如何|怎样|该怎么(?:做|处理|扶|救)|要怎么|学(?:习)?(?:急救|心肺复苏|海姆立克)|(?:心肺复苏|海姆立克)(?:怎么|的步骤|步骤)|"
    r"急救(?:方法|知识|措施|包|步骤)|应该先|还是先|(?:想|要)(?:提前)?学|(?:能|可)(?:不|唔|勿)(?:能|可以)[^。]{0,6}扶|"
    r"扶还是不扶|是(?:扶|叫)还是|"
    r"灭火器怎么|怎么(?:扶|急救|用|判断)|(?:抹|涂|擦|用)啥药|管不管用|有没有用|是不是(?:要|应该)先|第一时间(?:是|要|该|应该|怎么)|"
    r"(?:的时候|时)(?:到底)?(?:要不要|该不该|能不能|可不可以|应不应该)|"
    r"是一回事吗|有(?:什么|啥)区别|到底对不对|到底是|到底要|多久(?:以内|之内)|到底(?:能不能|要不要|该不该|可不可以)|是不是容易|号码是多少|存一下|(?:记|存|抄|留)[^,,。]{0,4}备用|"
    r"第一步(?:应该|该|要|怎么)|的话(?:要不要|该不该|能不能|是不是要)|"
    r"\b(?:how (?:do|to|should|can|long)|what (?:should|do) (?:i|we|you|one) do if|"
    r"what'?s the (?:\w+ )?number|save it)\b"
)
# "老人摔倒了到底能不能马上扶起来": a question about anyone who falls, asked at the message's start.
_GENERAL_QUESTION = compile_cues(
    r"^(?:(?:问(?:个事|一下|下|一嘴|一声|问看|问)?|想?请问(?:一声|一下)?|想?请教(?:一下|大家|有经验的)?|咨询(?:一下)?|"
    r"想问(?:问|一下|下)?|纯属好奇(?:哈)?|网上(?:说|讲))\s*)*"
    r"(?:一般)?(?:如果|要是|若是|若|万一)?(?:以后|哪天)?(?:发现)?(?:家里|家中|屋里)?(?:的)?(?:独居)?"
    r"(?:老人(?:家)?|老年人|长辈|宝宝|孩子|小孩|有人|一个人)(?:要是|如果)?(?:在(?:家|浴室|厕所|卫生间|冰上)|冰上)?"
    r"(?:摔倒|跌倒|跌低|摔了|跋倒|走丢|走失|噎住|烫伤|晕倒|叫不醒)(?:了|咗)?"
    r"(?=[^。]{0,24}(?:到底|能不能|该不该|要不要|应唔应该|应不应该|是不是|还是|抑是|怎么办|咋整|咋办|怎么|哪里|什么|吗|\?|"
    r"系不系|好不好|好扶|先扶|扶不扶|能扶|可以扶|有啥办法|有什么办法))"
)
# "刚才谁噎着了?", "有人被关在电梯里吗?": a latecomer asking what happened, even about just now.
_WHO_ASKS = compile_cues(
    r"(?:哪里|哪儿|哪栋|哪家|谁)(?:家)?[^,,。\s]{0,3}(?:着火|晕倒|摔倒|出事|噎着|受伤)(?:了)?(?:吗|嘛|么)?(?:[??]|$)|"
    r"^(?:着火|晕倒|摔倒)了?[??]|有(?:没有)?人[^,,。\s]{0,8}(?:被关|被困|关在|困在)[^,,。\s]{0,8}(?:吗|嘛|么)?[??]|"
    r"\b(?:is every ?one (?:ok|okay|alright|safe)|anyone know what happened|"
    r"hope (?:they(?:'re| are)|he(?:'s| is)|she(?:'s| is)|every ?one(?:'s| is)|all(?:'s| is)?) "
    r"(?:ok|okay|alright|fine|safe))\b"
)
_HYPOTHETICAL = compile_cues(
    r"谁家[^。]{0,30}(?:找我|喊我|叫我|喊一声|吱一声|招呼一声)|万一|如果|假如|要是|一旦|怕[^,,。\s]{0,4}(?:万一|以后|将来|哪天|晚上|半夜)|"
    r"怕[^,,。\s]{0,3}(?:掉下|砸)|别[^,,。\s]{0,4}(?:掉下|砸)|怕(?:会)?晕|\bfire (?:risk|hazard|safety)\b|"
    r"担心|以防|预防|防止|小心|(?<![没不])注意|隐患|风险|"
    r"一般来说|\bhazard\b|梦见|梦到|做梦|发梦|做了个梦|\bdream(?:t|ed)?\b|"
    r"(?:早晚|迟早)(?:得|要|会)|真要(?:是)?(?:着火|出事)|真着起火|真(?:着火|出事)(?:了)?(?=[^。]{0,12}(?:怎么|咋|都|就|跑|的时候|可))|"
    r"\b(?:in case|what if|worried)\b|"
    r"(?<!know )(?<!wonder )(?<!wondering )"
    r"\bif\b(?! (?:anyone|someone|somebody|any of you) (?:can|could|has|have|sees|saw|spots)\b"
    r"| anything change"
    r"| (?:you|u) can\b| (?:you're|you are|u r) able\b| possible\b"  # "move your cars if you can": a courtesy
    r"| (?:it'?s |it is )?safe\b"  # "move your bikes only if safe": a courtesy too
    r"| you(?:'re| are) (?:in there|inside|home|still in)\b)"  # "get out if you're inside": no hypothetical
)
# "下个月去儿子那边住 谢谢这些年大家照应 大家保重": a farewell for a move, unless the means are named too.
_WORRY = re.compile(r"(?<![别白不甭勿用])担心(?!一场)|worried")
_WEATHER = compile_cues(
    r"降温|寒流|寒潮|冷空气|暴雪|大雪|台风|暴雨|流感|甲流|空气|pm ?2\.5|雾霾|变天|"
    r"\b(?:cold snap|typhoon|storm)\b"
)
"""Why a group is told "大家保重" most days: the weather or the flu, not a goodbye."""
_RESCUED = compile_cues(
    r"洗(?:了)?胃了|抢救过来|救(?:回来|过来)(?:了|咗|哒)|(?:火|明火)(?:已经)?(?:扑)?灭(?:哒|咗)|处理(?:咗|好了)|"
    r"(?:幸好|幸亏|还好|好在)[^。]{0,10}(?:开了门|拽上来了|拉上来了|救上来了|捞上来了)"
)
"""Someone brought back or a fire put out: over, whatever the danger was (self-harm too)."""
_MOVING_AWAY = compile_cues(
    r"下次[^,,。]{0,4}再(?:回来|来|见)|(?:下个?礼拜|下周|明天|下次|回头)见|才回来|搬家|搬走|搬去|搬到|退群|(?:去|到)(?:儿子|女儿|闺女|孩子)(?:那边|那儿|家)?住|回老家(?:住|养老)|回(?:南部|北部|中部|东部|乡下|娘家)|移民|"
    r"\b(?:moving (?:out|away|to|back)|leaving the group)\b"
)
# "不想活了 算了 明天还得上班": the day goes on after the words; "跳下去算了" is no moving on.
_MOVING_ON = compile_cues(
    r"(?<!就)(?<!就 )(?:^|(?<=[\s,,。!!]))(?:算了|算啦)(?=\s*(?:先|还是|明天|明年|去|该|继续|回家))|"
    r"明天(?:还要|还得|又是|又要|会好)|明早(?:还要|还得)|(?:那是|都是|只是|就是)气话|好着呢|别当真|咋还当真"
)
_MEANS = compile_cues(r"药|绳|刀|炭|天台|楼顶|跳|死|活着|不想活|遗书|\b(?:pills|rope|jump|die)\b")
_NEWS = compile_cues(
    r"《[^》]{1,12}》|\bxin wen\b|"
    r"游戏里|\bminecraft\b|密室逃脱|\bescape room\b|台剧|男主角?|女主角?|"
    r"新闻(?!联播)|八点档|八點檔|连续剧|連續劇|微博|小红书|听说|听讲|听人讲|据说|报道|看了个视频|"
    r"(?<!he )(?<!she )\bheard (?:she|he|that|about|they)\b|"
    r"刷到|抖音|电视里|直播里|听人说|电视剧|电影|剧里|短剧|套剧|部剧|追剧|一本[^。]{0,16}书|这本书|纪录片|韩剧|港剧|美剧|综艺|编剧|小说|隔壁小区|别的小区|其他小区|快手|电视上|网上说|分享|好文|文章|转给大家|"
    r"\b(?:news|article|video|shar(?:e|ing)|documentary|movie|film|the scene|episodes?|tv show|drama|weibo)\b"
)
_JOKE = compile_cues(
    r"笑死|笑煞|乐死|社死|无聊死|笑甲|好笑|笑到|哈哈|太逗|😂|🤣|(?<!当我)(?<!不是)(?<!没)开玩笑|讲笑|要疯|快疯|气疯|无语|抓狂|"
    r"\b(?:lol|lmao|jk|kidding|joking|laughing so hard|stroke of luck)\b|\(not really\)"
)
# Signs the danger is here and now: a strong one keeps the alarm whatever else the message says,
# a weak one outweighs only a past-tense word ("昨天摔的 到现在还躺着").
_ACUTE = compile_cues(
    r"快来|快点|赶紧(?!给(?:我)?(?:爸|妈|家里|老人|爷|奶|外婆|外公)|打(?:了)?(?:个)?电话过去|换(?:个)?台|关(?:了)?电视)|帮帮|谁来|来人|起不来|爬不起|没反应|叫不醒|喊不醒|出不来|找不到|紧急|急(?:啊|呀|!|!)|很急|好急|"
    r"急急|扩散|寻人|求转发|请转发|帮忙转发|求求|立即|立刻|越来越|"
    r"(?<![别勿])(?<!不用)(?<!不要)(?<!无需)(?<!不必)(?<!差点)(?<!才能)(?<!自动)报警(?!器|声|铃|测试|是误报|是因为|还是)|报了警|"
    r"马上|撤离|撤到|疏散|在路上|正在(?:破门|救援|灭火|扑救|搜救)|帮忙送(?:去|到)?医院|别(?:坐|乘|搭)电梯|走楼梯|"
    r"(?:我|已经|刚)打了120了|我该怎么办|\bwhat (?:do|should) i do\b(?! if)|"
    r"拜托|拜託|!!|!!|!!|\b(?:help!|help me|help us|please help|need help|please come|hurry|asap|"
    r"right now|urgent)\b"
)
# A routine service asked for because of something that happened before: the danger words are the
# background ("老伴中风以后 谁帮忙带点菜", "上回烫的还没好 帮我买烫伤膏").
_ROUTINE_ASK = compile_cues(
    r"复查|回诊|复诊|复健|康复|推拿|换药|做饭|送饭|送顿饭|带(?:点)?菜|买菜|洗澡|帮(?:忙|她|他)?洗|填表|申请|补助|补贴|刷墙|清理|打扫|"
    r"拖(?:拖|地|一下|干)|收拾|扫水|撮水|晾|"
    r"装(?:个)?扶手|扶手|防滑|烫伤膏|配药|陪(?:他|她|我)?(?:去)?(?:散步|走走|遛)|护工|陪护|"
    r"理发|剪(?:个)?头|借(?:个|我|一下)?(?:轮椅|拐|助行器)|(?:轮椅|拐杖|拐棍|助行器)[^,,。]{0,4}借|翻身|擦身|送(?:一顿|个|点)?(?:午|晚|中)饭|拍(?:个)?片|遛狗|代买|接(?:孩子|娃|放学)|"
    r"\b(?:follow-?up|physio|dressing|subsidy|form|clean(?:ing)?|walk with|groceries|"
    r"borrow (?:a |your |some )?(?:wheelchair|crutches|walker)|walk (?:the )?dog|school run)\b"
)
# "最近老是胸闷": a long-standing complaint is a reason to see a doctor, not an alarm.
_CHRONIC = compile_cues(
    r"老说|老是|老犯|常犯|总犯|经常|总是|总说|时不时|偶尔|有时候|最近(?!的)|入冬以后|一到冬天|"
    r"(?:瘫|病|卧床|躺)(?:了)?(?:几|两|三|四|五|六|七|八|九|十|好几|\d+)年|\b(?:lately|sometimes|often|always)\b"
)
# "还是头晕": a message that is nothing but a mild complaint is news for the check-in, not an alarm.
_MILD_ONLY = re.compile(
    r"\s*(?:今天|还是|又|有点|有些|还|一直|就是)*\s*"
    r"(?:头晕|头疼|头痛|咳嗽|不舒服|没胃口|没劲|乏力|腰疼|腿疼|嗓子疼|流鼻涕)(?:了|的|啊|呢|哦|呀)?[\s,.。!！~]*"
)
_TOPIC_SWITCH = compile_cues(
    r"对了|另外|还有个事|还有件事|说个事|有个事|有个急事|有件急事|先(?:甭|别|不)管这个|不说这个了|(?:刚才|刚刚)?出事了|"
    r"\b(?:btw|by the way|anyway|oh and|also)\b"
)
# "擦破点皮", "口子不深", "起了两个小水泡": a wound too small to alarm anyone, when nothing else is named.
_MINOR = compile_cues(
    r"擦破(?:了)?(?:点|一点|层)?皮|破(?:了)?(?:点|一点|层)皮|蹭破|小口子|口子不深|(?:伤口)?不深|牙印|"
    r"起了(?:个|一个|两个|几个)?小(?:水)?泡|就红(?:了)?一(?:点|块|下)|流了(?:一)?点(?:点)?血|皮外伤|"
    r"\b(?:just a (?:scratch|scrape|graze|bruise)|small cut|tiny cut|minor (?:cut|burn|scrape))\b"
)
_WORSE_THAN_A_SCRATCH = compile_cues(
    r"头[^,,。\s]{0,2}(?:磕|撞|碰|破)|(?:磕|撞|碰)(?:到|着|了)?(?:头|脑)|躺在|在地上|扶不(?:动|起)|晕|"
    r"\b(?:head|on the floor)\b"
)
_WOUNDS = frozenset({"bleeding", "fall", "burn", "other_medical"})
"""The kinds a minor wound can explain; a fall with a head injury or a faint is read on its own cue."""
_HAPPENING = compile_cues(r"现在|正在|此刻|刚刚|刚才|着呢|(?:捂|按|压)着|\b(?:right now|rn)\b")
_NEVER = re.compile(r"(?!)")
"""Matches nothing: a reason that does not apply."""
_STILL_GOING = compile_cues(
    r"还在(?:烧|冒|漏|流|喷|往外|渗|涨)|火还|还没灭|又开始(?:冒|有|漏|流|着|烧)|又(?:呲|滋|冒|漏|着|烧|喷)(?:烟|水|火|气)?(?:了|起来)|"
    r"\bstill (?:burning|leaking|pouring|bleeding)\b|"
    r"\b(?:pouring|gushing|leaking|dripping|smoking|burning) again\b"
)
_STILL = compile_cues(
    r"现在|正在|刚刚|刚才|刚发现|还在|一直|到现在|至今|一天一夜|一宿|这回|这次|从[^,,。\s]{0,4}(?:起|开始)|"
    r"(?:跟|和|同|比)(?:昨|前)(?:天|日|儿个|儿)[^,,。\s]{0,3}(?:可|都|完全)?(?:不一样|不同)|"
    r"(?:今天|今日|今儿)(?:也|都)?(?:没|冇)(?:来|嚟|去|到|发|打)|"
    r"还没(?:上来|回来|回家|到家|找到|找着|醒|消息)|还是没(?:得|有)?(?:消息|找到|找着|回来)|仲未返|"
    r"\b(?:now|just|still|this time)\b"
)


# What right after a cue shows it names no state: a simile, a ward, an English idiom, a place to be stuck.
_SIMILE_AFTER = compile_cues(r"了?(?:似的|一样|一般)")
_SOUND_ASLEEP = compile_cues(r"睡着|睡到|瞓着|瞓到|睏着|午睡|打呼|鼻鼾|呼噜|打鼾|睡得|装睡|准时睡|\bsnor\w*")
_FINE_AFTER_ALL = compile_cues(
    r"(?<![不没])醒了|(?<![不没])睁眼|哈哈|笑死|笑煞|好瞓|也这样|装睡|死猪|猪|气死我了"
)
_DEPARTMENT_AFTER = compile_cues(r"科|病房|门诊|中心|\s(?:centre|center|unit|ward|clinic)\b")
_SWITCH_BEFORE = compile_cues(r"\b(?:fuse|breaker|power|switch|circuit|rcd)s?(?: just| has| had)?\s$")
""""the fuse tripped and half the flat is dark": a circuit, not a person."""
_ON_FIRE_FIGURE_BEFORE = compile_cues(
    r"\b(?:inbox|brain|mouth|throat|tongue|lungs?|feed|chat|group|market|stocks?|portfolio|sky|season|dumplings|servers?|code|"
    r"team|kids|noodles|shop)"
    r"(?:'s| is| are| was| were)? (?:literally )?$"
)
_ON_FIRE_FIGURE_AFTER = re.compile(
    r"\s(?:today|tonight|this (?:year|week|season|morning)|lately|at (?!the |\d)|with (?!the )|"
    r"(?:in the \w+ )?all (?:day|week|season))"
)
""""my inbox is on fire", "she's on fire today": busy or brilliant, nothing burning."""
_FELL_FIGURE = compile_cues(
    r"\s(?:asleep|for\b|in love|apart|behind|short|silent|through|hard for|off the wagon|"
    r"down (?:a|the) [^.,!?]{0,16}hole)"
)
_STUCK_IN_A_FIGURE = compile_cues(
    r"\s?(?:在|in)?[^,,。!!]{0,8}?(?:开会|会议|会里|会上|家长会|例会|年会|总结会|这个会|deadline|群里|工作|作业|题海|meeting|committee|queue|traffic|"
    r"airport|被窝|高速|高架|堵|公司|单位|加班|带娃|zoom|taobao|cart|small talk|conversation)"
)
_STUCK_IN_A_FIGURE_BEFORE = compile_cues(
    r"(?:被|在)[^,,。!!]{0,10}(?:会|群|工作|作业|加班|单位|公司|高架|高速|堵|被窝|密室|迷宫|游戏)[^,,。!!\s]{0,3}$"
)
_DENIED_AFTER = re.compile(
    r"[道儿]?\s?(?:倒是|是|倒)?(?:没有|没得|木有|冇|没闻(?:着|到))(?:咯|啊|哦|的|哈)?(?=\s|$|[,,。])"
)
_NO_FIRE_AFTER = re.compile(r"眉毛|[^,,。]{0,2}(?:越来越小|变小|小了)")
_CARD_BEFORE = compile_cues(
    r"(?:医保|社保|银行|身份|公交|饭|门禁|会员|信用|储蓄|电话|手机|sim|就诊|老年|燃气|购物)$"
)
_BUSY_AT = compile_cues(r"车间|工地|单位|公司|守着|带娃|看娃|看孩子|上班|值班|加班|实验室|店里|月子")
_CRY_WORD = re.compile(r"救\s?命|sos|help!!|救我|jiuming|jiu ?ming", re.IGNORECASE)
_FIX_ASK = compile_cues(
    r"师傅|维修|修理|疏通|开锁|(?:来|帮)(?:我)?(?:修|通|看看|弄)|谁会(?:修|通|弄|整)|有没有懂的|有懂的|"
    r"\b(?:plumber|electrician|locksmith|repair|fix)\b"
)
_DELIGHT = compile_cues(
    r"太好(?:吃|喝|看|笑|玩|听)|好好(?:吃|喝|看|笑|玩|听)|太(?:可爱|香|甜|美|帅|绝)|好可爱|"
    r"\b(?:so (?:good|cute|yummy|delicious)|delicious|yummy)\b"
)
_SOMEONE_CALLING = compile_cues(
    r"有人在|在(?:喊|叫|哭)|帮帮我|呻吟|哼哼|\bsomeone (?:is )?(?:calling|shouting)\b"
)
_GADGET_BEFORE = compile_cues(r"(?:手机|手表|电脑|平板|相机|耳机|助听器|老人机|机)[^,,。\s]{0,2}$")
_THING_FELL = compile_cues(r"假牙|手机|眼镜|钥匙|东西|那台|遥控")
_PRONE_TO_BEFORE = compile_cues(
    r"(?:怕|(?<!不)会(?!不会)|老是|老爱|老(?=走)|总是|爱|容易|防止?)(?:他|她|伊|佢)?[^,,。\s]{0,6}$"
)
_IF_BEFORE = compile_cues(r"(?:要是|如果|万一)[^,,。\s]{0,6}$")
_STROKE_NAME = re.compile(r"中风|脑梗|脑出血|脑溢血|stroke")
_NAMED_AS_BEFORE = compile_cues(r"(?:说|讲|是|像|怀疑|可能|好似)[^,,。\s]{0,3}$")
_ADVICE_TO_CALLER = compile_cues(
    r"(?:快|马上|赶紧|即刻|立刻|先|直接|就)打(?:120|999|119)[^。]{0,20}"
    r"(?:记(?:下|牢|低|到|住)|(?:别|莫|覅|嫑|不要|唔好)(?:给|俾)?(?:她|他|伊|佢)?(?:喂|吃|乱动|动|睏))|"
    r"(?:记(?:下|牢|低|到|住)|(?:别|莫|覅|嫑|不要|唔好)(?:给|俾)?(?:她|他|伊|佢)?(?:喂|吃|乱动|动))"
    r"[^。]{0,20}(?:快|马上|赶紧|即刻|立刻|先|直接|就)打(?:120|999|119)"
)
_POURED = compile_cues(r"垃圾|泔水|剩饭|废品")
_THING_BEFORE_FELL = compile_cues(
    r"\b(?:rail|tree|phone|shelf|picture|frame|mirror|tv|lamp|curtain|box|parcel|ladder|it)s?"
    r"(?: (?:has|had|just))? $"
)
_FALL_DEVICE_AFTER = compile_cues(r"(?:检测|报警|警报|警報|监测|侦测|偵測|自动)")
_ANYONE_BEFORE = compile_cues(r"(?:谁家|哪家|哪位|哪个|怕|驚|惊)[^,,。\s]{0,4}$")
_TOOTH = compile_cues(r"牙|肿|麻药|麻醉")
_NOBODY_INSIDE = compile_cues(
    r"(?:里头|里面|梯内|轿厢内|入面)(?:都)?(?:没|冇|无)人|(?:没|冇|无)人(?:被)?(?:困|关)|(?:锁|关)在(?:了)?(?:门外|外面|外头|屋外)|"
    r"\b(?:nobody|no one|no-one) (?:inside|in it|in there|trapped|stuck)\b|\blocked out\b"
)
_WONT_LIGHT_BEFORE = compile_cues(r"(?:打|点|打得|点得)(?:不|弗|勿|唔|袂)$")
_MOUTH_BEFORE = compile_cues(r"(?:嘴巴|嘴|舌头|喉咙|嗓子(?:眼)?(?:儿)?|头顶)[^,,。\s]{0,2}$")
_LIFT = compile_cues(r"电梯|升降机|𨋢|\b(?:lift|elevator)\b")
_MONEY_SHOCK = compile_cues(
    r"电费|房贷|房价|价钱|价格|账单|购物车|股票|基金|跌了|输了|\d+\s*(?:块|元|kuai)|"
    r"\b(?:bill|price|prices|kuai|rent|stock market|durian)\b"
)
_CARE_CALLED = compile_cues(
    r"送|医院|120|119|999|救护|倒|晕|出汗|冷汗|厉害|剧烈|发白|脸色|喘|呼吸|左臂|胳膊|后背|越来越|突然|"
    r"\b(?:hospital|ambulance|collapsed|sweating|severe|sudden\w*|breath\w*|left arm)\b"
)
"""With a price named, chest words are shock at the price, unless care is called or a body gives way."""
_WINDOW_CLEANING = compile_cues(r"擦(?:擦|一下|干净)?(?:玻璃|窗)|擦擦|大扫除|保洁")
_WRITER_TOO_BEFORE = re.compile(r"(?:我|俺|阮)(?:也|都)$")
_WRITER = re.compile(r"我|俺|阮|\b(?:i|my|me)\b")
"""The writer, who may own the pet: "我家乌龟一动不动" names nobody else."""
_BODY_AFTER_FIRE = re.compile(
    r"\s(?:in|of) (?:my|his|her|the) (?:stomach|belly|tummy|throat|mouth|soul|eyes)\b"
)
""""the fire in my stomach": heartburn or zeal, not a flame."""
_SLANG_BEFORE_FIRE = re.compile(
    r"(?<!there )(?<!there's )(?<!here )\b(?:is|was|are|were|so|straight|pure|absolutely|lowkey) $"
)
"""Slang ("this playlist is fire"), not "there is fire": that one is the alarm however it ends."""
_PLACE_AFTER_FIRE = re.compile(r"\s(?:in|at|on|from|near|upstairs|downstairs|inside|next door)\b")
_CHOKED_FIGURE_AFTER = re.compile(
    r"\s(?:on (?:my |his |her )?(?:tea|coffee|drink|beer|wine|water) )?"
    r"(?:reading|laughing|at the|when i (?:saw|read))"
)
""""choked on my tea reading the new rules": surprise, not choking."""
_MISSED_THING_AFTER = re.compile(
    r"\s(?:his|her|their|my|the|out|a|an|you|it|him|them|school|work|class|lessons?|meals?|doses?)\b"
)
""""he's missing his shows": a verb of things, not a person missing."""
_FEVER = compile_cues(
    r"退烧|发烧|發燒|高烧|低烧|退热|体温|體溫|温度计|布洛芬|美林|泰诺林|3\d(?:\.\d)?度|3\d度\d|\b(?:fever|temperature)\b"
)
"""A fever's words: "孩子半夜又烧起来了" is a temperature, not a flame."""
_FEVERISH_BEFORE = re.compile(r"(?:孩子|娃|宝宝?|儿子|女儿|闺女|他|她|又|再|半夜|夜里)$")
"""Who or when a fever rises, right before its 烧起来; a room that catches fire has neither."""
_SPARKED_ONCE = compile_cues(
    r"不敢(?:再)?(?:用|插|开)|(?:就|现在)没电了|不亮了|(?:不|没)(?:冒)?烟|冇味|没(?:有)?味|熄咗总掣|(?:拉|关)(?:了)?(?:总)?闸|闸(?:也)?拉了"
)
"""A spark that came and went ("插座冒了一下火花 现在不敢用了"): a repair to ask for."""
_SPARK = re.compile(r"[^火]*火(?:花|星)子?")
"""A fire cue that names only a spark ("插座冒了一下火花")."""
_NEARLY_OR_SLIPPERY = re.compile(r"差点|险些|差一点|(?:老|好|太|贼|忒|可|真|特别)滑了?$")
_WARNED = re.compile(r"别|小心|当心|注意")
_SPARKING_STILL = compile_cues(r"还在|一直|越来越|不停|噼里啪啦|噼啪|滋滋|呲呲|刺啦|水")
_PET_BEFORE_EN = compile_cues(r"\b(?:cat|dog|kitten|puppy|parrot|bird|pigeons?)\b[^.!?,]{0,16}$")
_JUMP_FOR_SPORT = compile_cues(r"蹦极|跳水|跳板|[三五十]米(?:板|台)|游泳|泳池|\b(?:bungee|diving board)\b")
_WORKER_UP_THERE = compile_cues(
    r"(?:是|係|系)[^,,。\s]{0,8}(?:师傅|工人|维修工|维保|修|装|拍(?:婚纱)?照|放(?:风筝|烟花|仙女棒))|"
    r"安全绳|安全带|(?:拴|系)着绳|\b(?:harness|safety rope)\b"
)
"""Who was seen on the roof, told after a scare: "楼顶有人站着 … 是物业请的工人在修太阳能 系着安全绳"."""
_WANTS_TO_JUMP = compile_cues(r"要跳|想跳|往下跳|想不开|情绪|\bjump\b")
_PILLS_AS_PRESCRIBED = compile_cues(
    r"配(?:一配|药|点|一下)|开药|拿药|买药|续方|处方|(?:吃|食)(?:了|咗)?(?:医生开的)?(?:一|两|半)(?:片|粒)(?!又|一|接)"
)
_MANY_PILLS = compile_cues(r"一整瓶|一瓶|整瓶|成瓶|全吃|都吃|一把|攒|存了")
"""Sleeping pills taken or run out as prescribed, unless a bottle's worth is named."""
_WEEK_WRAPPED_UP = compile_cues(
    r"多事|多嘢|事情(?:好|真|太)?多|晚安|早啲瞓|早点睡|(?:下|这|這|今)(?:个|個)?(?:礼拜|禮拜|星期|周|週)|休假|新年快"
)
_SIGH_WORDS = re.compile(r"想死|(?:真|都)?不想活|我想死|\bwant to die\b|bu xiang huo")
_TRIVIAL_CAUSE = compile_cues(
    r"快递|双十一|雙十一|客服|电脑|電腦|死机|死機|当机|當機|卡死|手机|手機|体重|體重|胖|斤|头发|頭髮|刘海|托尼|"
    r"装修|电钻|冻得|破天|天儿|麻将|偶像|塌房|雪櫃|啲餸|卡數|卡数|发错|send錯|\b(?:project|boss)\b|pajamas"
)
_REAL_MEANS = compile_cues(r"药|藥|绳|繩|刀|炭|天台|楼顶|樓頂|遗书|遺書|\b(?:pills|rope)\b")
"""Things people sigh "不想活了" over; with real means named, no sigh."""
_STROKE_BEHIND = compile_cues(
    r"(?:中风|脑梗|脑出血|脑溢血|stroke)\s?(?:咗|了|过)?\s?(?:以后|之后|后|偏瘫|瘫|住院|入院|入咗院|住咗院|"
    r"[一二两三四五六七八九十几半\d]+(?:年|个月|個月)|多年)|"
    r"\b(?:since (?:the|his|her|my) stroke|(?:his|her|my|mum's|dad's|mom's) stroke was)\b"
)
_STRUCK_AGAIN = compile_cues(r"突然|刚才|刚刚|这会儿|又(?:犯|发|倒|说不出|歪|中风)|\b(?:again|suddenly)\b")
"""A stroke's aftermath, unless it strikes again: "中风后一直在家 刚才突然又说不出话"."""
_THEN_DO = re.compile(
    r"\s?(?:就|的|嘅|的话|嘅话)\s?(?:即刻|马上|赶紧|直接|先|要)?\s?"
    r"(?:打(?!了|咗|过)|按(?!了|咗)|侧躺|侧过来|平躺|不要|别|覅|嫑|莫|唔好)"
)
"""An instruction on the condition the cue names: advice to whoever finds someone, not a report."""
_WOULD_BEFORE = re.compile(r"(?:会|會|可能)(?:有|打|冒)?$")
_WET_GADGET = compile_cues(r"手机|電話|电脑|平板|助听器|助聽器|手表|相机|耳机|眼睛|耳朵|伤口|卡顿|换屏")
_WET_HOME = compile_cues(r"地上|地板|屋里|屋头|屋企|家里|房间|楼下|天花板|墙|电箱|电表|插座|灯")
_CALL_FOR_HELP = compile_cues(r"快\s?(?:叫|打|喊)?\s?(?:救护车|120)|call 120")
_TOLD_WHAT_TO_DO = compile_cues(
    r"(?:别|莫|覅|不要|唔好)(?:让|叫|俾|给)?(?:他|她|伊|佢|叔叔|阿姨)?(?:再)?(?:动|走动|乱动|吃|喝|喂|睡|躺)|"
    r"(?:别|莫|覅|不要)(?:喂|给)|记(?:下|到|牢|住|低|一下)|(?:带上|带着|带到医院)|平躺|坐起来|侧躺|"
    r"\b(?:don'?t (?:move|make|lift|give|let)|keep the|bring the)\b"
)
"""What a neighbour tells the one at the scene; the scene itself is told by other words."""
_ALARM_RELAYED = re.compile(r"烟雾报警|烟感|smoke alarm")
_ONLY_A_BATTERY = compile_cues(r"滴|嘀|没电|电池|误报|\b(?:chirp\w*|beep\w*|battery)\b")
"""A smoke alarm chirping for a battery ("一直滴滴叫 应该是没电了") asks for a ladder, not a fire engine."""
_SCORCHED = re.compile(r"焦味|焦糊|糊味|烧焦|burning smell|(?:充电|插座|电线|电箱|电表).*烧")
"""A smell of burning, or a socket burnt: what it is when the power is off and nothing smokes."""
_SWITCHED_OFF = compile_cues(
    r"拔掉|拔了|拉闸|拉了闸|闸拉了|关掉|断了电|断电|没冒烟|(?:没|没有|没得|也没)烟|"
    r"\b(?:off now|unplugged|switched (?:it )?off)\b"
)
_GETTING_WORSE = compile_cues(r"越来越|还在|更(?:大|浓|重)|\bstill\b")
_FIREWORKS_OR_GRILL = compile_cues(
    r"烟花|放花|篝火|烧烤|炭火|生炭|烤串|\b(?:fireworks?|bonfire|bbq|barbecue)\b"
)
_SPREADING = compile_cues(r"[窜蹿烧]到|引燃|点着|燎到|着了|烧着|\bspread\w*")


def _counts(kind: str, match: re.Match[str], text: str) -> bool:
    """Whether one cue really names a danger here, from what stands around it."""
    start, end = match.span()
    before = text[max(0, start - 16) : start]
    if _DEPARTMENT_AFTER.match(text, end):  # "烧伤科挺好", "the stroke centre": a ward, not a state
        return False
    if (
        _NEGATION_BEFORE.search(before)
        or _FIGURE_BEFORE.search(before)
        or _HISTORY_BEFORE.search(before)
        or _AFTERMATH.match(text[end : end + 8])
        or _ALMOST_AFTER.match(text[end : end + 30])
    ):
        return False
    if kind in _SHOCK_FIGURES and _SEEN_BEFORE.search(before):
        return False
    if kind in ("flood", "fire") and _INSURANCE.search(text) and not _ACUTE.search(text):
        return False  # "淹了楼下三家 家财险赔不赔", "车库那场火 保险赔下来了": a claim, after the event
    if kind in ("self_harm", "chest_pain") and _PUSHED_TO.search(before):
        return False
    if kind == "self_harm":
        cue = match.group(0)
        if "窗台" in cue and _WINDOW_CLEANING.search(text):
            return False  # "我恐高不敢站窗台 谁能帮我擦擦": cleaning windows, a request
        # "我家猫坐在窗台上", "my cat is sitting on the window ledge": the pet is who is up there
        if _PET_BEFORE.search(before) or _PET_BEFORE_EN.search(before):
            return False
        if "跳" in cue and _JUMP_FOR_SPORT.search(text):  # "从三米板跳下去", "去重庆蹦极"
            return False
        if _WORKER_UP_THERE.search(text) and not _WANTS_TO_JUMP.search(text):
            return False
        if "安眠药" in cue and _PILLS_AS_PRESCRIBED.search(text) and not _MANY_PILLS.search(text):
            return False  # "安眠药吃完了 谁帮我去配一下", "吃了两片安眠药 晚安": as prescribed
        if cue.startswith("大家保重") and _WEEK_WRAPPED_UP.search(text):
            return False  # "這禮拜真是多事 大家保重 晚安": the week's goodnight, not a goodbye
        if _SIGH_WORDS.fullmatch(cue) and _TRIVIAL_CAUSE.search(text) and not _REAL_MEANS.search(text):
            return False  # "不想活了 又胖了三斤", "部電腦當機 我想死": a sigh; the model may hear more
    if (
        kind == "stroke"
        and _STROKE_NAME.fullmatch(match.group(0))
        and _NAMED_AS_BEFORE.search(before)
        and _ADVICE_TO_CALLER.search(text)
    ):
        # "快打120 说可能是中风 记下时间 别喂水": what to tell the dispatcher, said to the reporter
        return False
    if kind == "stroke" and _STROKE_BEHIND.search(text) and not _STRUCK_AGAIN.search(text):
        return False  # "老伴中风以后说话含含糊糊 谁来教她发音", "since the stroke": what a stroke left
    if kind == "stroke" and _WRITER_TOO_BEFORE.search(before):  # "我也讲不清": can't explain either
        return False
    if kind == "chest_pain" and _MONEY_SHOCK.search(text) and not _CARE_CALLED.search(text):
        return False  # "heart attack seeing my electricity bill", "看到房价心口痛": a price, not a heart
    if kind == "chest_pain" and "输" in match.group(0):  # "心口子都输痛了": a night of mahjong
        return False
    if kind in ("unconscious", "breathing") and _THEN_DO.match(text, end):
        return False  # "没呼吸就按胸口", "叫唔应就即刻打120": what to do if, said in a thread
    # "快打120 记下几点开始的 莫喂他": a reply telling the caller what to do; the model decides
    if kind == "other_medical" and _CALL_FOR_HELP.fullmatch(match.group(0)) and _TOLD_WHAT_TO_DO.search(text):
        return False
    if kind == "missing":
        if _IF_BEFORE.search(before) or (_PRONE_TO_BEFORE.search(before) and not text.startswith("了", end)):
            # "怕他自己出门走丢", "谁家老人爱走丢的": some day, not now ("怕他走丢了" is now)
            return False
        if match.group(0) == "missing" and _MISSED_THING_AFTER.match(text, end):
            return False
        if _THING_BEFORE.search(text[max(0, start - 10) : start]):
            return False
        return _VULNERABLE.search(text) is not None
    if kind == "trapped":  # a cat in a pipe shaft or a car stuck in snow is a request, not an alarm
        if _THING_BEFORE.search(text[max(0, start - 10) : start]):
            return False
        if _NOBODY_INSIDE.search(text):  # "电梯卡在五楼 里头没人", "锁在门外了": nobody shut in
            return False
        if match.group(0).startswith("卡") and _CARD_BEFORE.search(text[max(0, start - 4) : start]):
            return False  # "医保卡在家里": a card, not someone stuck
        if _BUSY_AT.search(match.group(0)):
            return False  # "俺在车间出不去", "在家守着娃出不去": tied up, not trapped
        where = text[end : end + 24]
        if _STUCK_IN_A_FIGURE.match(where) and not _LIFT.search(where):
            return False  # "被困在这个会里三个小时了": a meeting, a queue, a traffic jam
        if _STUCK_IN_A_FIGURE_BEFORE.search(before) and not _LIFT.search(before):
            return False  # "被困在家长会里出不来", "被困在亲戚群里出不去": the figure before the cue
        return not (_PET.search(text) and not _VULNERABLE.search(text))
    if kind == "fire":
        cue = match.group(0)
        if _DENIED_AFTER.match(text, end):  # "着火倒是没有": no fire
            return False
        if "火花" in cue and _WOULD_BEFORE.search(before):  # "别按门铃 会有火花": a spark that might be
            return False
        if _ALARM_RELAYED.search(cue) and _ONLY_A_BATTERY.search(text):  # "烟雾报警器一直滴滴叫 应该是没电了"
            return False
        if cue == "on fire" and (
            _ON_FIRE_FIGURE_BEFORE.search(before) or _ON_FIRE_FIGURE_AFTER.match(text, end)
        ):
            return False
        if _SIMILE_AFTER.match(text, end):  # "跟着火似的": a simile
            return False
        if _MOUTH_BEFORE.search(before):  # "嘴巴烧起来了": chilli
            return False
        if _WONT_LIGHT_BEFORE.search(before):  # "热水器打不着火": it won't light
            return False
        if cue == "fire" and _BODY_AFTER_FIRE.match(text, end):
            return False
        if cue == "fire" and _SLANG_BEFORE_FIRE.search(before):
            return _PLACE_AFTER_FIRE.match(text, end) is not None  # "the hotpot place is FIRE": great
        if "烧" in cue and _FEVER.search(text) and _FEVERISH_BEFORE.search(before):
            return False
        if _SPARK.fullmatch(cue) and _SPARKED_ONCE.search(text) and not _SPARKING_STILL.search(text):
            return False
        if _NO_FIRE_AFTER.match(text, end):  # "火烧眉毛", "火苗越来越小": an idiom, a stove
            return False
        if _SCORCHED.fullmatch(cue) and _SWITCHED_OFF.search(text) and not _GETTING_WORSE.search(text):
            return False  # "浴霸一股焦味 已经拉闸了 谁懂电的帮我看看": a repair, the power off
        if cue in ("火光", "火苗") and _FIREWORKS_OR_GRILL.search(text) and not _SPREADING.search(text):
            return False  # "篝火晚会 火光照得半边天", "生炭 火苗子蹿老高": a fire meant to burn
        # barbecue smoke, cooking fumes and cigarettes are a nuisance, not a fire
        return not (_SMOKE_SOURCE.search(text) and not _FIRE_ITSELF.search(text))
    if kind == "unconscious":
        if _GADGET_OR_TEAM_BEFORE.search(before):  # "小度音箱 他喊半天不搭理他": a gadget
            return False
        if _ABSORBED_OR_ASLEEP.search(text) and not _STILL_UNWELL.search(text):
            return False  # "打机打到叫佢都唔应", "昨儿喝大了 叫不醒 呼噜打得山响": absorbed or asleep
        if _ABOUT_TO.search(before):  # "作业写到十一点 我快晕过去了"
            return False
        if _AWAY.search(text, end):
            return False
        if "它" in match.group(0) or "牠" in match.group(0):  # "叫它也不理": an animal
            return False
        if _SOUND_ASLEEP.search(text) and _FINE_AFTER_ALL.search(text):
            return False  # "睡到打呼 叫他吃饭都叫不醒 后来自己就醒了": asleep, and everyone knows it
        if _SIMILE_AFTER.match(text, end):  # "跟晕过去了一样": a simile
            return False
        if _PET.search(text) and not _PERSON.search(_WRITER.sub("", text)):
            return False  # "乌龟冬眠了 一动不动": an animal, nobody else named
        # An unanswered call or a habit not kept ("今天没来") alarms only for the frail or someone alone.
        if _A_CALL.search(match.group(0)):
            if _PHONE_EXPLAINED.search(text):
                return False
            return _VULNERABLE.search(text) is not None or _ALONE.search(text) is not None
        if _ROUTINE_MISSED.fullmatch(match.group(0)):
            return _ALONE.search(text) is not None
        return True
    if kind == "fall":
        cue = match.group(0)
        if _NEARLY_OR_SLIPPERY.search(cue):  # "有人骑车差点摔了", "楼门口老滑了": nearly, or just slippery
            return False
        if (
            _FALL_DEVICE_AFTER.match(text, end)  # "摔倒检测的摄像头", "跌倒报警器": a device
            or _ANYONE_BEFORE.search(before)  # "谁家老人摔了要用轮椅", "怕他绊倒": anyone, some day
            or _PAST.search(cue)  # "奶奶上周摔了": a fall told with its past day
            or _THING_BEFORE_FELL.search(before)  # "the curtain rail fell down"
        ):
            return False
        if _PET_BEFORE.search(before):
            return False
        if "倒了" in cue and _POURED.search(text[max(0, start - 10) : end + 4]):
            return False  # "帮李奶奶把垃圾倒了": a bin emptied
        if _THING_FELL.search(cue):  # "阿爸副假牙跌咗落洗手盆": a thing dropped
            return False
        if _FELL_FIGURE.match(text, end):  # "fell asleep", "fell for it"
            return False
        if cue == "tripped and" and _SWITCH_BEFORE.search(before):
            return False
        if _CANT_GET_UP.fullmatch(cue):  # "腰闪了 起不来" is a sore back
            return _FALL_CONTEXT.search(text) is not None
        return True
    if kind == "burn" and _WARNED.search(match.group(0)):
        return False  # "离那热水远点别烫着": a warning
    if (
        kind == "stroke" and match.group(0) == "半边脸" and _TOOTH.search(text)
    ):  # a swollen jaw, an anaesthetic
        return False
    if kind == "flood":
        if _GADGET_BEFORE.search(text[max(0, start - 6) : start]):  # "电话手表进水了": a gadget, not a home
            return False
        if _FLOOD_FIGURE.search(text):  # "被纸箱子淹了", "flooded with orders"
            return False
        if match.group(0) == "进水" and _WET_GADGET.search(text) and not _WET_HOME.search(text):
            return False  # "手机进水 换屏 都能弄", "眼睛不能进水": a gadget or a body, not a home
        if _TOILET.search(text) and not _WATER_ON_POWER.search(text):
            return False  # "厕所堵了 水快漫出来了" is an urgent repair
        if _MILD_WATER.search(text):  # "滴着水" / "爆了少少": a repair, not a flood
            return _STRONG_WATER.search(text) is not None
        return True
    if kind == "gas" and _DENIED_AFTER.match(text, end):  # "煤气味道是没有咯": no smell
        return False
    if kind == "gas" and match.group(0) == "漏气" and _INFLATED.search(text):  # a tyre or an air bed
        return False
    if kind == "choking" and _STILL_TALKING.search(text):  # "鱼刺卡在嗓子里了 能说话能喝水": a clinic visit
        return False
    if kind == "choking" and _CHOKED_FIGURE_AFTER.match(text, end):
        return False
    if kind == "choking" and text.startswith(" up", end):  # "choked up at the concert": moved to tears
        return False
    if kind == "bleeding" and not _BLOOD.search(text):  # "马桶一直往外渗" is water
        return False
    if kind == "bleeding" and _BABY_TOOTH.search(text):  # "换牙 满嘴血沫子 还挺开心": a milk tooth out
        return False
    if kind == "falling":
        return _PEOPLE_BELOW.search(text) is not None
    return True


@dataclass(frozen=True)
class DangerReading:
    """What the reader saw: the danger's kind (None if none) and why it is harmless (None if it isn't)."""

    kind: str | None
    harmless: str | None = None
    aftermath: bool = False  # the danger is the background of a routine ask ("心梗放了支架 谁陪他复查")

    @property
    def alarm(self) -> bool:
        """This reader's own verdict; an aftermath only quiets it, not the model (understand.py)."""
        return self.kind is not None and self.harmless is None and not self.aftermath


_ADDRESS_BIT = (
    r"(?:[a-z]?\d++(?:[-—]\d++)*+|[一二三四五六七八九十两]++)\s?+"
    r"(?:号楼|栋|幢|楼|单元|层|室|号|座|门|f)?"
)
"""A number is taken whole (possessive ``++``): split every way inside the repeated cry pattern, a long
run of digits took minutes to refuse."""
_FILLER = (
    r"快点?|快来|过来|谁来|谁|赶紧|赶快|马上|啊|呀|哪|啦|了|吧|呐|"
    r"谁在|有人吗|有没有人|有人在吗|在吗|在|这里|这边|"
    r"求求(?:你们|大家)?|求你们|大家|急|的|我家|我们家|please|pls|someone|anyone|now|quick"
)
_CRIES = {
    "other_medical": (
        r"来人|救救(?:我们?|他|她|孩子|老人|(?:我|俺)?(?:家)?(?:爸|妈|爹|娘|爷爷|奶奶|外婆|外公|姥姥|姥爷|老伴|老头子?|老太太?|儿子|女儿))|"
        r"出(?:大)?事(?:了|啦)|(?:叫|打|喊)(?:个)?(?:救护车|120)|\bhelp(?: me| us)?\b"
    ),
    "fire": r"救火",
    "fall": r"我(?:刚才?)?摔(?:倒|伤)?了",
    "burn": r"(?:孩子|娃|宝宝|老人)?烫(?:到|着|伤)了",
}
_CRY = re.compile("|".join(f"(?P<{kind}>{cry})" for kind, cry in _CRIES.items()))
_TERSE_CRY = re.compile(rf"(?:[\W_]|{_FILLER}|{_ADDRESS_BIT}|{_CRY.pattern})*")
TERSE_CHARS = 30
"""A cry for help ("救救我", "快来人 出事了 3楼", "救火啊") is an alarm only when it is all the message says:
with more around it, it is as often a figure of speech ("谁来救救我的发际线")."""


def _hits(text: str) -> list[tuple[str, re.Match[str]]]:
    hits = [(kind, m) for kind, cue in _CUES.items() for m in cue.finditer(text) if _counts(kind, m, text)]
    if not hits and len(text) <= TERSE_CHARS and _TERSE_CRY.fullmatch(text):
        cry = _CRY.search(text)
        if cry is not None and cry.lastgroup is not None:
            hits.append((cry.lastgroup, cry))
    return hits


def _only_crying(text: str, hits: list[tuple[str, re.Match[str]]]) -> bool:
    """Whether ``text`` says nothing but its cries, with fillers and an address ("救命啊 3栋")."""
    cried = {i for _, match in hits for i in range(*match.span())}
    rest = "".join(" " if i in cried else char for i, char in enumerate(text))
    return _TERSE_CRY.fullmatch(rest) is not None


def _harmless(text: str, kind: str | None, named: frozenset[str] = frozenset()) -> str | None:
    """Why danger words in ``text`` are plainly no emergency now, or None (``named``: every kind
    of danger the text names).

    A goodbye ("谢谢大家这些年照顾") is no sign that self-harm is over, so it never counts as such.
    """
    real = _NOT_A_DRILL.search(text) is not None
    still_going = _STILL_GOING.search(text) is not None
    if _DRILL.search(text) and not real:
        return "notice"
    if kind is None and _MILD_ONLY.fullmatch(text):
        return "mild"
    if kind is None and _DEVICE_STATE.search(text) and not _PERSON.search(text):
        return "object"  # "电饭锅插上电没反应": a broken thing, nobody in it
    if _CORRECTED.search(text) and not still_going and not _ACUTE.search(text):
        return "past"  # "更正 刚才说有人跳楼是错的": it never happened, whatever kind it named
    swallowed = kind == "poisoning" and bool(_SWALLOWED.search(text) and _LOOKS_FINE.search(text))
    swallowed = swallowed and not _TREATED.search(text)
    over = _OVER.search(_HEDGE.sub(" ", text)) is not None
    over = (over and kind != "self_harm") or _RESCUED.search(text) is not None
    if over and not still_going and not swallowed:
        return "past"  # but pills swallowed and not yet seen to are not over, however well the child looks
    if _ADVICE.search(text) or _AD.search(text):
        return "notice"
    if _GENERAL_QUESTION.search(text) and not _HERE.search(text) and not _HAPPENING.search(text):
        return "how-to"  # asked of anyone, not told of someone: "马上" in it is part of the question
    if _ACUTE.search(text) or real:
        return None  # a forwarded alert that says to leave now, or "不是演练", is the alarm itself
    if kind != "missing" and _FORWARDED.search(text) and not _HERE.search(text):
        return "notice"  # a forwarded tip; a forward from the next building's group is the alarm itself
    if (
        kind in (None, "fire", "gas", "breathing")
        and _SMOKE_SOURCE.search(text)
        and not _FIRE_ITSELF.search(text)
    ):
        return "nuisance"  # barbecue smoke and cooking smells, however strong
    notice = _NOTICE if kind != "missing" else _ADVICE  # a 寻人 notice is the alarm itself
    # "最近一直睡不着 … 撑不下去了" is no complaint, and "老是忘事 … 出门三个钟头了" tells who is lost
    chronic = _CHRONIC if kind not in ("self_harm", "missing") else _NEVER
    how_to = _HOWTO if not _HAPPENING.search(text) else _NEVER  # "怎么做 我儿子现在…": asked while it happens
    news = _NEWS if kind != "missing" or not _HERE.search(text) else _NEVER  # lost near here, heard next door
    joke = _JOKE if not still_going else _NEVER  # "哈哈 … 纸巾换了七八张还在渗": no joke
    worse = still_going or _CANT_GET_UP.search(text) or _WORSE_THAN_A_SCRATCH.search(text)
    minor = _MINOR if named and named <= _WOUNDS and not worse else _NEVER
    if kind == "self_harm" and _MOVING_AWAY.search(text) and not _MEANS.search(text):
        return "moving"
    if kind == "self_harm" and _WEATHER.search(text) and not _MEANS.search(text):
        return "weather"
    # "按门铃没人 有点担心": worry about someone who does not answer is the alarm, not a what-if
    worried = kind in ("unconscious", "missing") and all(
        _WORRY.match(text, m.start()) is not None for m in _HYPOTHETICAL.finditer(text)
    )
    hypothetical = _NEVER if worried else _HYPOTHETICAL
    # The self-harm words themselves: what follows them can move on ("算了 明天还得上班"), and a past
    # told after them is their reason, not their end ("说这辈子就这样了 要去找我舅妈 我舅妈去年走的").
    goodbye = _CUES["self_harm"].search(text) if kind == "self_harm" else None
    if goodbye is not None and _MOVING_ON.search(text, goodbye.end()):
        return "venting"
    for reason, cue in (
        ("notice", notice),
        ("joke", joke),
        ("hypothetical", hypothetical),
        ("chronic", chronic),
        ("how-to", how_to),
        ("how-to", _WHO_ASKS),
        ("news", news),
        ("minor", minor),
    ):
        if cue.search(text):
            return reason
    # "昨天送的饭还原样放在门口 敲门没人开": for someone not answering, a past word tells how long it has been
    since = kind == "unconscious" and _NO_ANSWER.search(text) is not None
    past = _PAST.search(text, 0, goodbye.start() if goodbye else len(text))
    if past and not since and not still_going and not _STILL.search(text):
        return "past"
    return None


def read_danger(text: str, *, model_alarmed: bool = True) -> DangerReading:
    """The first danger ``text`` names, and the reason it is plainly harmless if it is.

    The reason is read even when no danger word is found if the model sees danger this reader
    does not (``model_alarmed``): a drill notice stays a drill notice. With neither a danger word
    nor the model's alarm there is nothing to excuse, and no reason is read.
    """
    text = join_spelled_out(space_scripts(text))
    hits = _hits(text)
    # The most specific danger named first: "快来人 … 摔倒了" is a fall, not a generic call for help.
    kind = min(hits, key=lambda hit: (hit[0] == "other_medical", hit[1].start()))[0] if hits else None
    if kind is None and not model_alarmed:
        return DangerReading(None)
    switch = _TOPIC_SWITCH.search(text)
    if switch is not None and hits and switch.end() <= min(m.start() for _, m in hits):
        text = text[switch.end() :]
    harmless = _harmless(text, kind, frozenset(name for name, _ in hits))
    only_cries = all(_CRY_WORD.fullmatch(match.group(0)) for _, match in hits)
    if harmless is None and only_cries and not _SOMEONE_CALLING.search(text):
        if _FIX_ASK.search(text):
            harmless = "repair"  # "救命啊 下水道反味 赶紧来个师傅": a cry over a thing, asking for a fix
        elif _DELIGHT.search(text):
            harmless = "joke"  # "救命 这个蛋糕也太好吃了吧": delight, said the way young people say it
        elif hits and (len(text) > TERSE_CHARS or not (model_alarmed or _only_crying(text, hits))):
            # "救命 这个月电费三百多", "救命 又加班": a cry among other words is how people sigh,
            # unless the model hears danger in those words too
            harmless = "exclamation"
    aftermath = (
        kind is not None
        and harmless is None
        and not _ACUTE.search(text)
        and _ROUTINE_ASK.search(text) is not None
    )
    return DangerReading(kind, harmless, aftermath)
