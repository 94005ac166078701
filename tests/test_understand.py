"""Table-driven tests for message understanding, in residents' own phrasings.

The phrasings are written fresh (not copied from the dev corpus) across Mandarin, traditional
characters, dialect (俺/咱/阿拉/侬/屋头, Cantonese), voice-to-text typos and English, so they
check that the lexicons generalise rather than memorise.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.understanding.danger import KINDS
from handlers.understanding.understand import Intent, understand

NOW = datetime.fromisoformat("2026-11-25T10:00:00+08:00")  # a Wednesday morning

REQUESTS = [
    ("谁下午去超市帮我带两瓶酱油 5号楼301", "shopping", "normal"),
    ("俺腿疼下不了楼 哪个好心人帮俺买点青菜和豆腐", "shopping", "normal"),
    ("家里一粒米都没了 谁能帮我扛一袋米上来 急", "shopping", "urgent"),
    ("有人周末去盒马吗 帮我带点水果 钱我转你", "shopping", "normal"),
    (
        "Can someone buy a bag of rice and some vegetables for my grandpa? He lives in building 8.",
        "shopping",
        "normal",
    ),
    ("想麻煩鄰居明天幫我買點雞蛋和麵條,我行動不便", "shopping", "normal"),
    ("求代购两箱矿泉水 搬不动", "shopping", "normal"),
    ("谁明天去药店帮我带一盒感冒药 不急", "medicine", "normal"),
    ("我爸的心脏药只剩一天的了 谁今天能帮忙去医院开一下 急急急", "medicine", "urgent"),
    ("有没有人去社区卫生服务中心 顺便帮我拿下药 处方在我这", "medicine", "normal"),
    ("Need someone to pick up my mom's prescription today, she ran out this morning", "medicine", "urgent"),
    ("降压药快吃完了 下周想请人帮我去医院配一下", "medicine", "urgent"),
    ("老伴住院我一个人 这几天能不能有人帮忙送个午饭 7号楼", "meals", "normal"),
    ("谁能帮我去社区食堂打份晚饭送上来 我腿脚不好", "meals", "normal"),
    (
        "Would anyone be able to bring a hot meal to my neighbor in 2-1-401 tomorrow? She just had surgery.",
        "meals",
        "normal",
    ),
    ("下周一我要去人民医院做化疗 想找个人陪一下", "medical_escort", "normal"),
    ("我妈后天上午要去医院复查 我上班走不开 谁能陪她去一趟", "medical_escort", "normal"),
    ("有没有志愿者能陪我去医院挂号看病 我不识字", "medical_escort", "normal"),
    (
        "Could someone go with my father to the hospital for his checkup on Friday morning?",
        "medical_escort",
        "normal",
    ),
    ("我家老头子刚出院 需要人帮忙换一下纱布 谁是护士", "health", "normal"),
    ("想找人每周来帮我量量血压 我一个人住 9号楼", "health", "normal"),
    ("谁会扎针灸 我腰疼好几天了", "health", "normal"),
    ("卫生间水龙头一直漏水关不紧 谁会修 3号楼1单元", "repair", "normal"),
    ("家里跳闸了 全屋没电 冰箱里都是东西 谁懂电的赶紧来看看", "repair", "urgent"),
    ("阳台的晾衣架坏了 有没有师傅帮忙修一下", "repair", "normal"),
    ("The light in my kitchen doesn't work anymore, can anyone help me change the bulb?", "repair", "normal"),
    ("马桶堵了 咋整啊 谁家有皮搋子借俺用用", "repair", "normal"),
    ("屋头的灯不亮了 哪个会弄嘛", "repair", "normal"),
    ("过年前想请人帮忙打扫一下卫生 擦擦玻璃 我付钱", "cleaning", "normal"),
    ("想找个人帮我把家里收拾收拾 太乱了 老伴走后我一直没心思弄", "cleaning", "normal"),
    ("Anyone available to help me clean my windows this weekend?", "cleaning", "normal"),
    ("我爸一个人在家 白天没人说话 有没有志愿者能去陪他聊聊天", "companionship", "normal"),
    ("奶奶想出去晒晒太阳 谁能推轮椅陪她下楼走走", "companionship", "normal"),
    ("Is there someone who could visit my grandma once a week? She feels lonely.", "companionship", "normal"),
    ("临时加班 谁能帮我去幼儿园接一下孩子 5点放学 急", "childcare", "urgent"),
    ("周六上午要去医院 能不能有邻居帮忙看一下我家娃 两个小时就行", "childcare", "normal"),
    ("Need someone to pick up my son from school tomorrow at 4pm", "childcare", "normal"),
    ("孩子英语太差了 有没有大学生能帮忙补补课 周末都行", "tutoring", "normal"),
    ("谁能给我孙女辅导一下作文 初一", "tutoring", "normal"),
    (
        "Looking for someone to help my daughter with her math homework on weekday evenings",
        "tutoring",
        "normal",
    ),
    ("我爷爷瘫痪在床 头发太长了 有没有人能上门给剪剪", "haircut", "normal"),
    ("Could someone give my dad a haircut at home? He can't go out.", "haircut", "normal"),
    ("我的手机突然没声音了 不知道按了啥 谁能帮我看看", "tech_help", "normal"),
    ("想学怎么用手机视频聊天 跟外地的儿子视频 谁有空教教我", "tech_help", "normal"),
    ("健康码怎么也弄不出来 谁能帮帮我", "tech_help", "normal"),
    ("Can someone help my mom set up WeChat on her new phone?", "tech_help", "normal"),
    ("谁顺路的话帮我把快递拿上来 在丰巢柜里 取件码发你", "errands", "normal"),
    ("想找人帮忙把旧冰箱搬下楼 太重了", "errands", "normal"),
    ("我这两天不在家 谁能帮我家老人倒下垃圾 谢谢", "errands", "normal"),
    ("谁去银行的话能帮我交下燃气费吗", "errands", "normal"),
    ("Could someone drop off a package at the post office for me?", "errands", "normal"),
    ("儿子不赡养老人 想咨询一下法律上怎么办 有懂的吗", "legal", "normal"),
    ("有没有人会弄低保申请 材料太多看不懂", "legal", "normal"),
    ("I need help filling in the forms for the elderly subsidy, anyone familiar with it?", "legal", "normal"),
    ("出门一周 谁能帮我喂一下猫 钥匙可以给你", "other", "normal"),
    ("谁家有电钻借我用一下 装个挂钩", "other", "normal"),
    ("我家狗丢了 白色的泰迪 大家帮忙留意一下", "other", "normal"),
    ("邊個得閒幫我買啲餸呀 我行唔到 唔該晒", "shopping", "normal"),
    ("屋企個水喉爆咗少少 滴緊水 有冇師傅識整", "repair", "normal"),
    ("咱家老头的药吃完了 谁去药店给捎一盒 谢了", "medicine", "urgent"),
    ("俺家暖气不热了 谁懂这个 帮俺瞅瞅", "repair", "normal"),
    ("老伴腰扭了 俺也做不动饭 谁家做饭的话多做一口 俺给钱", "meals", "normal"),
    ("阿拉屋里老头子一天到晚一个人 侬有空来陪伊讲讲闲话好伐", "companionship", "normal"),
    ("麻烦哪位帮我把这箱水搬到5楼 我实在搬不动了", "errands", "normal"),
    ("孙子给我发了个红包 我不会领 谁教教我", "tech_help", "normal"),
    ("我想给在国外的女儿打视频电话 不知道怎么弄 有没有懂的", "tech_help", "normal"),
    ("明天要去医院拿化验单 顺便看下医生 我一个人不认路 谁能带我去", "medical_escort", "normal"),
    ("我妈腿上长了褥疮 需要有人上门换药护理 有偿", "health", "normal"),
    ("下午三点到五点谁能帮我看下孩子 我要出去办点事", "childcare", "normal"),
    ("退休金好像算错了 想找人帮我看看怎么申诉", "legal", "normal"),
    ("帮我去物业交一下物业费吧 我在外地出差", "errands", "normal"),
    ("Could anyone get some fruit and yogurt for me from the supermarket?", "shopping", "normal"),
    ("My door lock is jammed, anyone know how to fix it?", "repair", "normal"),
    ("谁家有吸尘器 能来帮我吸一下地毯吗 我腰不好弯不下去", "cleaning", "normal"),
    ("有没有人能帮我拍几张证件照 要交给社区", "other", "normal"),
    ("我老伴走了以后我一个人在家很孤单 有没有人能常来坐坐", "companionship", "normal"),
    ("有没有谁家有多余的布洛芬 孩子发烧了 药店关门了", "medicine", "normal"),
    ("家里没有奶粉了 孩子饿得直哭 谁能马上帮忙买一罐", "shopping", "urgent"),
    ("谁能帮我排个队挂个号 我起不来那么早", "errands", "normal"),
    ("双职工 找人每天下午接孩子放学 5点 付费", "childcare", "normal"),
    ("我做了手术不能下床 想请邻居这周帮忙送三天午饭", "meals", "normal"),
    ("/求助 奶奶的降压药没了 今天必须买到", "medicine", "urgent"),
    ("#求助 帮忙带两斤鸡蛋", "shopping", "normal"),
    ("@邻里助手 厨房灯坏了谁能来修一下", "repair", "normal"),
    ("#help can someone teach me to use alipay", "tech_help", "normal"),
    ("手机摔坏了 谁能帮我看看还能不能修", "repair", "normal"),
    ("我最近老是胸闷 想找人陪我去医院查一下", "medical_escort", "normal"),
    ("我妈昨天摔了一下 膝盖擦破了 谁家有碘伏和纱布能借一点 再帮忙包一下", "health", "normal"),
    ("卫生间漏水 渗到楼下了 谁会修防水", "repair", "normal"),
    ("家里下水道返水 地上全是脏水 谁能帮忙清理一下", "cleaning", "normal"),
    ("3号楼王奶奶需要人帮忙买菜", "shopping", "normal"),
    ("王奶奶行动不便 希望有志愿者每周帮她买一次菜", "shopping", "normal"),
    ("楼下独居的刘爷爷这几天病了 没人给做饭 大家看看谁能帮帮忙", "meals", "normal"),
    ("隔壁赵阿姨的老伴刚走 她情绪很低落 希望有邻居多去陪陪她", "companionship", "normal"),
    ("需要两个壮劳力帮忙把钢琴抬到三楼 有偿", "errands", "normal"),
    ("谁家有扳手 借我用一下 水龙头松了", "repair", "normal"),
    ("帮忙带一盒阿莫西林 5号楼", "medicine", "normal"),
    ("老人手机上的健康码过期了 不会弄 求帮忙", "tech_help", "normal"),
    ("孩子下周期末考试 物理不太好 想请个哥哥姐姐帮忙讲讲题", "tutoring", "normal"),
    ("我要去做白内障手术 术后需要人陪护一天 有没有志愿者", "medical_escort", "normal"),
    ("帮忙把我家的旧报纸纸箱拿下去卖了 钱你们留着", "errands", "normal"),
    ("家里的窗帘太重了我拆不下来 想找人帮忙拆下来洗洗", "cleaning", "normal"),
    ("谁明天去邮局 帮我寄一封挂号信", "errands", "normal"),
    ("明天学校开家长会 我去不了 能不能请个邻居帮我去一下", "childcare", "normal"),
    ("我家房子漏水楼上不给修 想咨询一下该怎么办 有懂法的吗", "legal", "normal"),
    ("我爸瘫痪在床 需要人帮忙翻身擦身 有护理经验的邻居吗", "health", "normal"),
    ("想找个会剪头发的 给我家小孩剪个头 孩子怕理发店", "haircut", "normal"),
    ("谁家有轮椅可以借用几天 我妈脚扭了", "other", "normal"),
    ("谁能帮我喂几天鱼 我要出远门", "other", "normal"),
    ("大冷天的暖气漏水了 地上都是水 急需会修的师傅", "repair", "urgent"),
    ("求帮忙带份早餐 豆浆油条就行 我在8号楼", "meals", "normal"),
    ("谁能帮我带份盒饭 我在家起不来 腰闪了", "meals", "normal"),
    ("有没有人愿意每天给我妈打个电话问候一下 她一个人住", "companionship", "normal"),
    ("我想在手机上买火车票 不会操作 谁能教我", "tech_help", "normal"),
    ("小区门口有我一个快递 太大了 谁能帮我推个车去拿", "errands", "normal"),
    ("Could someone grab a few things from the store for me? I have a broken leg.", "shopping", "normal"),
    (
        "Is anyone going to the pharmacy today? I need my blood pressure pills picked up.",
        "medicine",
        "normal",
    ),
    (
        "My mom just got out of the hospital, would anyone be able to bring her lunch for a few days?",
        "meals",
        "normal",
    ),
    (
        "Need someone to take me to my eye doctor appointment Thursday at 2pm, I cannot drive.",
        "medical_escort",
        "normal",
    ),
    (
        "Does anyone have nursing experience? My father needs help changing his wound dressing.",
        "health",
        "normal",
    ),
    ("Our kitchen sink is clogged, does anyone have a plunger and know how to fix it?", "repair", "normal"),
    ("Looking for help to deep clean my apartment before my kids visit next week.", "cleaning", "normal"),
    (
        "My grandmother lives alone and would love some company, maybe a short visit on Sunday?",
        "companionship",
        "normal",
    ),
    (
        "Emergency at work — can anyone watch my daughter for 2 hours right now? Building 4.",
        "childcare",
        "urgent",
    ),
    ("Anyone able to help my son with his English homework? He's in grade 5.", "tutoring", "normal"),
    ("Does anyone cut hair? My dad needs a trim but can't get to the barber.", "haircut", "normal"),
    (
        "Can someone help me set up video calls on my new tablet so I can talk to my grandkids?",
        "tech_help",
        "normal",
    ),
    ("Could somebody help me move a sofa down to the lobby on Saturday morning?", "errands", "normal"),
    (
        "Anyone know a lawyer who could look at my rental contract? The landlord wants to keep my deposit.",
        "legal",
        "normal",
    ),
    ("Can anyone walk my dog tomorrow evening? I'll be working late.", "other", "normal"),
    ("想办老年证 不知道要带什么材料 有没有人能陪我去办一下", "legal", "normal"),
    ("残疾人补贴怎么申请 谁能帮我填一下表", "legal", "normal"),
    ("我想立个遗嘱 有没有懂法律的邻居给指点一下", "legal", "normal"),
    ("社区让用小程序预约打疫苗 我不会弄 谁能帮帮我", "tech_help", "normal"),
    ("孙子给我买了个平板 不会用 谁能教我看电视剧", "tech_help", "normal"),
    ("微信支付密码忘了 怎么找回啊 谁会弄", "tech_help", "normal"),
    ("谁明天去银行 帮我把存折的钱取出来 我走不动", "errands", "normal"),
    ("医院排队太久了 有没有年轻人能帮我早上去排个号", "errands", "normal"),
    ("有个包裹要寄回老家 谁能帮我送到快递点", "errands", "normal"),
    ("我膝盖做了手术 出院了想找人指导一下康复锻炼", "health", "normal"),
    ("我妈需要每天打胰岛素 我晚上加班 谁能帮忙打一下", "health", "normal"),
    ("老爷子眼神不好 想有人每天给他念念报纸", "companionship", "normal"),
    ("周末谁能陪我妈去公园走走 她好久没出门了", "companionship", "normal"),
    ("阳台上堆了好多杂物 想请人帮忙清理一下", "cleaning", "normal"),
    ("我牙口不好 想请人帮我熬点粥送上来", "meals", "normal"),
    ("谁能帮我看一下孩子写作业 我要去医院陪床", "childcare", "normal"),
    ("孩子要考钢琴 有没有会弹钢琴的老师指导一下", "tutoring", "normal"),
    ("老人卧床不起 谁能上门给剃个头", "haircut", "normal"),
    ("我的眼药水用完了 谁去药店帮我带一瓶", "medicine", "urgent"),
    ("我爸要去做透析 每周三次 想找志愿者陪同", "medical_escort", "normal"),
    ("想买点新鲜的鱼 谁去菜场帮我带一条", "shopping", "normal"),
    ("纱窗破了个洞 蚊子老进来 谁会补", "repair", "normal"),
    ("想找人帮我写封信给远方的亲戚 我不识字", "other", "normal"),
    ("我家鹦鹉飞走了 绿色的 大家帮忙看看", "other", "normal"),
    ("有冇人幫我買兩斤米 我行唔到", "shopping", "normal"),
    ("廁所馬桶漏水 有沒有人會修 不急", "repair", "normal"),
    ("請問有人可以教我用手機叫車嗎", "tech_help", "normal"),
    ("阿嬤一個人在家很寂寞 想找人陪她聊聊天", "companionship", "normal"),
    ("家里水管漏水了 怎么办", "repair", "normal"),
    ("老人想理发 行动不便", "haircut", "normal"),
    ("3号楼王奶奶家的灯坏了", "repair", "normal"),
    ("卫生间灯不亮了 我够不着", "repair", "normal"),
    ("我自己买不了 谁能帮我买个新的电饭锅", "shopping", "normal"),
    ("我自己弄不好 谁能来看看", "other", "normal"),
    ("马上过年了 想请人帮忙打扫一下卫生", "cleaning", "normal"),
    ("我妈肚子疼得厉害 谁能马上陪我们去急诊", "medical_escort", "urgent"),
    ("家里停电了 冰箱里的东西要坏了 谁懂电路 尽快来看看", "repair", "urgent"),
    ("不着急 谁有空帮我带袋盐", "shopping", "normal"),
    ("慢慢来 不急 有空帮我看看热水器", "repair", "normal"),
]
OFFERS = [
    ("这周六我休息 楼里有需要帮忙的老人可以找我", None, None),
    ("我退休在家时间多 大家有啥事需要跑腿的喊我一声", "errands", None),
    ("本人水电工 家里水电有问题的可以联系我 免费", "repair", None),
    ("我会理发 周日上午在楼下给老人免费剪头发", "haircut", None),
    ("我是初中数学老师 寒假可以免费给孩子们补课", "tutoring", None),
    ("我有车 下周谁要去医院复查可以捎上 我陪着", "medical_escort", None),
    ("我每天早上都去菜市场 谁家要带菜的提前说一声", "shopping", None),
    ("会用智能手机的年轻人一枚 老人们手机有问题可以来找我", "tech_help", None),
    ("我包了很多饺子 楼里独居的老人想吃的话我给送过去", "meals", None),
    ("我平时下午有空 可以陪老人聊天下棋", "companionship", None),
    ("我每天下班路过快递站 可以帮大家顺便取快递", "errands", None),
    ("我是退休幼师 周末可以帮忙照看小朋友", "childcare", None),
    ("我是药剂师也懂护理 老人需要量血压的话可以找我", "health", None),
    ("我在律所工作 有法律问题可以私信我 免费咨询", "legal", None),
    ("I'll be home all weekend, happy to help anyone who needs it.", None, None),
    ("I can teach seniors how to use smartphones, just message me.", "tech_help", None),
    ("Going to the supermarket tomorrow morning, anyone need anything?", "shopping", None),
    ("明天我不上班 有需要的邻居吱一声", None, None),
    ("我们志愿服务队周六上午给独居老人免费打扫卫生 需要的请报名", "cleaning", None),
    ("我懂点电器维修 谁家电器坏了可以拿来给我看看", "repair", None),
    ("/offer 明天下午有空", None, None),
    ("#帮忙 我会修自行车和电动车", "repair", None),
    ("我家开饭馆的 每天中午可以给楼里独居老人送一份饭", "meals", None),
    ("我是大学生志愿者 寒假每周可以去陪老人聊天", "companionship", None),
    ("下午要去超市 楼里有需要带东西的吗", "shopping", None),
    ("本人在电脑城上班 电脑手机有问题的都可以问我", "tech_help", None),
    ("我有辆三轮车 谁家要搬东西可以叫我", "errands", None),
    ("退休木匠 家具坏了可以帮忙修修", "repair", None),
    ("会剪头发 免费给老人理发 每周日下午 3号楼楼下", "haircut", None),
    ("这周我休年假 有啥需要帮忙的尽管说", None, None),
    ("我周末有空 可以帮独居老人打扫卫生", "cleaning", None),
    ("我在家带孩子 顺便可以帮大家接送孩子上下学", "childcare", None),
    ("我是高中英语老师 可以免费给孩子辅导英语 周末有空", "tutoring", None),
    ("我开车 周三去市医院 有要去看病的老人可以搭车 我陪着去", "medical_escort", None),
    ("I'm available this weekend if anyone needs help with anything", None, None),
    ("I have a car and can help with errands or deliveries on weekends", "errands", None),
    ("I'm a retired math teacher and happy to tutor kids for free on weekends.", "tutoring", None),
    (
        "If anyone needs a ride to the hospital for appointments, I have a car and free time on weekdays.",
        "medical_escort",
        None,
    ),
    ("Our volunteer group can help elderly neighbors clean their homes this Saturday.", "cleaning", None),
    ("I'm free most evenings, let me know if you need anything.", None, None),
    ("本人退休法官 有法律问题可以找我免费咨询", "legal", None),
    ("我是康复科医生 周末可以上门给中风老人做康复指导", "health", None),
    ("我们家政志愿队每月第一个周六免费为老人擦窗户", "cleaning", None),
    ("我退休了 时间多 愿意陪独居老人聊聊天 读读报", "companionship", None),
    ("本人會理髮 可以免費上門給老人剪頭髮", "haircut", None),
]
EMERGENCYS = [
    "快来人!3号楼楼道里有个老太太摔倒了 爬不起来",
    "我奶奶在卫生间滑倒了 头磕破了 流了好多血",
    "阿婆跌了一跤 腿动不了 邻居们快来帮帮忙 2单元",
    "My grandma slipped in the shower and can't stand up, please help! 4-1-502",
    "我爸突然说胸口疼 脸色发白 满头大汗 怎么办",
    "老伴心脏病犯了 药在哪找不到 快来人",
    "我妈喘不上气 嘴唇发紫 已经打了120",
    "对门大爷倒在家门口 怎么叫都不醒 快来人啊",
    "楼下有个人晕倒了 一动不动",
    "5号楼有股很大的烟味 好像哪家着火了",
    "楼下电动车着火了!!!大家快跑",
    "There's smoke coming out of apartment 602 in building 3!! Call 119!",
    "厨房燃气灶关了还是有很浓的天然气味道 怎么办",
    "闻到楼道里有煤气味 谁家漏了 快检查一下",
    "I smell gas in the hallway of building 6, really strong",
    "楼上水管爆了 水从天花板往下流 我家都淹了",
    "小区地下车库进水了 水已经到小腿了",
    "电梯突然停了 我被困在里面 5号楼 快来人",
    "我妈被困在电梯里了 按警铃没人理",
    "我家老爷子有点糊涂 早上出去买菜到现在还没回来 电话也打不通",
    "寻人!我妈有阿尔茨海默病 今天下午在小区门口走失 穿黑色外套",
    "孩子放学一直没回家 联系不上 大家帮忙找找 10岁男孩 穿校服",
    "My father has dementia and wandered off this morning, has anyone seen him?",
    "隔壁老人好像中风了 嘴歪了说不出话",
    "救命 我老公抽搐了 口吐白沫",
    "俺娘摔倒了 起不来了 快来人帮帮俺 7号楼",
    "阿拉爷叔跌倒了 爬勿起来了 快点来人",
    "老爸晕倒了叫不醒!!!",
    "樓下有人暈倒了,快叫救護車",
    "家裡煤氣味好重,是不是漏氣了",
    "救命啊 有人掉进小区的水池里了",
    "有个小孩从楼梯上滚下来了 头流血了 快来人",
    "我爸刚才吃饭噎住了 喘不上气",
    "我妈突然说话不清楚 半边身子动不了 是不是中风了",
    "3号楼楼顶有人要跳楼 快报警",
    "家里的老人一直叫不醒 呼吸很弱",
    "着火啦!!5号楼2单元",
    "楼道有很大的焦糊味 不知道哪家在烧东西 冒烟了",
    "车库里一股汽油味和烟味 有电动车在冒烟",
    "老人一个人在家 敲门没人应 电话也不接 已经两天了",
    "电梯困人了 4号楼 里面有个老奶奶",
    "隔壁奶奶摔在厨房 我扶不起来 快来人帮忙",
    "奶奶从床上摔下来了 说腿疼得不能动",
    "My husband is having a seizure, please call an ambulance!",
    "There's a fire in the stairwell of building 9!",
    "Grandpa collapsed in the kitchen, he's not breathing!",
    "卫生间水管爆裂 水漫出来了 快找人关总闸",
    "俺爹在院里跌倒了 起不来 脑袋磕了 快来人啊",
    "孩子被反锁在屋里出不来了 还在哭",
    "我爸有老年痴呆 早上出门到现在还没回来",
    "我家老人走丢了 80岁 穿蓝色羽绒服 有看到的请联系我",
    "孩子哮喘犯了 喷雾用完了 谁家有沙丁胺醇 急",
    "Smoke alarm going off and I can smell burning in the hallway of building 5!",
    "My neighbor fell down the stairs and is bleeding from the head, please come quickly",
    "Someone is trapped in the lift in building 8, the doors won't open",
    "I smell gas really strongly in my kitchen, what should I do?",
    "My mother has Alzheimer's and has been missing since this morning",
    "Water is pouring through my ceiling, the pipe upstairs burst!",
    "救命啊 快来人 3号楼",
]
OTHERS = [
    "上周我摔了一跤 现在好多了 谢谢大家关心",
    "下周五上午消防演习 请大家配合",
    "提醒大家冬天注意用火安全 出门记得关煤气",
    "如果闻到燃气味 千万不要开灯 要先开窗通风",
    "昨天晚上2号楼那家着火的事大家听说了吗 还好没人受伤",
    "我爸已经找到了 谢谢大家帮忙找 太感谢了",
    "电梯修好了 大家可以正常使用了",
    "物业说明天上午检修电梯 9点到11点停用",
    "我家猫不见了 找了好久 原来躲在床底下 哈哈",
    "楼下有人抽烟 烟味飘到我家了 能不能别在楼道抽烟",
    "今年冬天好冷啊 大家注意保暖",
    "谢谢王姐昨天帮我取的快递",
    "感谢小区志愿者们的辛苦付出 👍",
    "好的 我知道了",
    "哈哈哈 笑死我了",
    "收到收到",
    "1",
    "?",
    "谁家的车停在消防通道了 挡路了 赶紧挪一下",
    "请问明天社区还有免费体检吗",
    "社区医院几点开门啊 有人知道吗",
    "晚上好 各位邻居",
    "今天的菜好便宜 大家快去超市抢",
    "我刚从医院回来 一切正常 大家放心",
    "这个群真好 有事大家互相帮忙",
    "老李家孙子考上大学了 恭喜恭喜",
    "高价回收旧家电 空调 冰箱 洗衣机 上门回收 电话13800000000",
    "出租 3号楼两室一厅 拎包入住 价格面议",
    "我已经找到人帮忙了 不用了 谢谢",
    "Good morning everyone!",
    "Thanks, got it.",
    "The water will be shut off tomorrow from 9 to 12 for maintenance.",
    "好久没下雪了 今年会不会下雪呢",
    "今天谁在小区门口卖橘子 挺甜的",
    "谁知道快递站几点关门",
    "有没有人知道社区医院周末上不上班",
    "请问谁家丢了一把钥匙 在3号楼门口捡到的 放物业了",
    "捡到一个钱包 失主请联系我",
    "今天楼下那只流浪猫又来了 好可爱",
    "明天小区组织包饺子活动 大家来玩",
    "感谢5号楼李阿姨送的饺子 太好吃了",
    "谢谢大家 问题已经解决了",
    "刚才帮我搬东西的小伙子是几楼的 想当面谢谢他",
    "我妈说上次那个帮她修水管的师傅人特别好",
    "这周六社区有义诊活动 免费量血压 在活动室 欢迎参加",
    "温馨提示:天气降温 请老人注意保暖 出门注意防滑",
    "垃圾分类从下个月开始严格执行 大家注意",
    "楼道里别堆杂物了 消防检查要罚款的",
    "昨天晚上谁家装修那么吵 都十点了",
    "楼上能不能小点声 孩子在睡觉",
    "大家好 我是新来的网格员小王 有事可以找我",
    "我们家已经打过疫苗了 大家也抓紧",
    "今天包了饺子 好开心",
    "哪里能买到便宜的大米啊",
    "谁家的狗一直在叫",
    "物业的电话是多少啊",
    "[语音]",
    "[图片]",
    "[链接] 社区养老服务政策解读",
    "转发:冬季用电安全小常识",
    "新年好!给大家拜年了🧧",
    "明天要下雨 大家出门带伞",
    "我妈今天精神挺好的 谢谢关心",
    "今天已经吃过药了 放心",
    "我在家 挺好的",
    "收到 谢谢提醒",
    "已报名",
    "+1",
    "同意",
    "哈哈 确实",
    "我也想知道",
    "小区的健身器材坏了 物业什么时候修啊",
    "电梯又坏了 物业能不能管管",
    "有人一起去跳广场舞吗 晚上7点",
    "周末有没有人一起去爬山",
    "团购链接 新鲜草莓 需要的接龙",
    "接龙:1. 3号楼王 2斤 2. 5号楼李 3斤",
    "谁有社区医院的电话 发我一下",
    "I'm going to the park later, anyone want to join?",
    "Does anyone know when the pharmacy opens?",
    "Thank you all so much for your help yesterday!",
    "The elevator in building 3 is working again.",
    "Happy Mid-Autumn Festival everyone!",
    "手机摔了 屏幕碎了 谁知道哪里修手机便宜",
    "我妈的手机找不到了 不知道放哪了 急死了",
    "昨天奶奶摔了一跤 还好没事 去医院看过了",
    "小区安全讲座:如何预防老人跌倒",
    "新闻说隔壁小区有老人走失了 大家看好家里老人",
    "电梯故障已修复 谢谢大家耐心等待",
    "上个月的那场火 大家还记得吧 一定要注意用电安全",
    "今天天气好 带奶奶出去晒太阳了 她说心情特别好",
    "刚才烧菜糊了 一屋子烟 哈哈 没事没事",
    "楼下有人抽烟 烟味太大了 熏得慌",
    "我老伴走失那次多亏了大家 现在想起来还后怕",
    "我爸找到了!在公园长椅上 谢谢大家",
    "这周谁值班啊",
    "明天社区组织老人体检 需要的带好医保卡 8点在活动室集合",
    "提醒一下 明天降温10度 大家注意保暖",
    "请大家不要高空抛物 已经砸到车了",
    "物业费该交了 大家记得交",
    "菜鸟驿站搬到3号楼楼下了 以后取快递方便了",
    "刚才那个求助的已经有人帮了吧",
    "我看到有人求助买菜 我已经帮她买好送过去了",
    "感谢小张帮忙修好了灯 手艺不错",
    "社区食堂今天的菜单:红烧肉 青菜 米饭",
    "今天在超市看到鸡蛋打折 大家可以去买",
    "有人知道哪里可以修电动车吗",
    "大家晚安",
    "欢迎新邻居入群🎉",
    "楼下新开了一家理发店 手艺不错 价格也便宜",
    "Does anyone know if the community clinic is open on Sundays?",
    "The package room has moved to building 3.",
    "Reminder: building meeting tonight at 7pm in the activity room.",
    "Lost keys found near the playground, ask the security desk.",
    "Congrats to the Wang family on the new baby!",
    "Has anyone tried the new noodle shop outside the east gate? So good.",
    "ok thanks!",
    "Good night all",
    "lol that's hilarious",
    "有没有人知道小区的快递柜怎么用",
    "请问社区有没有上门理发的服务 怎么预约",
    "谁知道附近哪家药店24小时营业",
    "大家知道哪里可以免费量血压吗",
    "有没有人一起拼车去机场 周六早上",
    "请问志愿者服务时长怎么兑换礼品",
    "有谁用过社区的助餐服务吗 味道怎么样",
    "想问下大家 物业费一年多少钱",
    "我家孩子作业太多了 每天写到11点 太累了",
    "我妈今天自己去医院复查了 一切正常",
    "今天陪我爸去医院复查 医生说恢复得很好",
    "刚刚帮楼下奶奶拎了菜上楼 她非要给我苹果 哈哈",
    "昨天社区的志愿者来家里帮忙打扫了 特别感谢",
    "家政公司 专业保洁 擦玻璃 开荒保洁 电话18800000000",
    "上门理发 50元一次 需要的联系我",
    "代购日本药妆 正品保证 私聊",
    "出售二手轮椅 八成新 200元",
    "免费领鸡蛋 扫码关注公众号即可领取",
    "本周六社区组织志愿者上门为独居老人打扫卫生 请有意愿的志愿者报名",
    "通知:爱心银行积分可以兑换理发服务了",
    "社区食堂开业了 60岁以上老人吃饭打八折",
    "大家注意 有人冒充燃气公司上门收费 不要相信",
    "物业回复:电梯已经报修 明天上午来修",
    "这个天气适合包饺子 哈哈",
    "我也是腿脚不好 天冷了更不想出门",
    "今年冬天暖气烧得挺热的",
    "我家老头子又去下棋了 一天不着家",
    "嗯 我明天下午有空 到时候再说",
    "没问题 明天我带过去",
    "好的 我周六过去帮你",
    "我来帮你吧",
    "今天物业来修了楼道灯 终于亮了",
    "我家楼上天天漏水 物业也不管",
    "电饭锅坏了 明天去买个新的",
    "笑死我了 救命 哈哈哈",
    "救命之恩没齿难忘 谢谢王大哥",
]


# The examples above were written for the rule-based recogniser, before the model existed, and are
# not in its corpus: an unseen set. Per-example checks stay strict for emergencies; for the rest
# the model is held to a share right, as the corpus goals are (CONTRACT.md; `make eval`).
def _share(rights: list[tuple[bool, str]]) -> tuple[float, list[str]]:
    return sum(ok for ok, _ in rights) / len(rights), [text for ok, text in rights if not ok]


def test_requests_are_read_as_requests_of_their_kind() -> None:
    read = [(understand(text, NOW), text, category, urgency) for text, category, urgency in REQUESTS]
    intent, missed = _share([(u.intent is Intent.REQUEST, text) for u, text, _, _ in read])
    assert intent >= 0.92, missed
    asked = [(u, text, cat, urgency) for u, text, cat, urgency in read if u.intent is Intent.REQUEST]
    category, wrong = _share([(u.category == category, text) for u, text, category, _ in asked])
    assert category >= 0.85, wrong
    urgency, wrong = _share([(u.urgency == urgency, text) for u, text, _, urgency in asked])
    assert urgency >= 0.95, wrong


def test_offers_are_read_as_offers_with_their_skill() -> None:
    read = [(understand(text, NOW), text, category) for text, category, _ in OFFERS]
    intent, missed = _share([(u.intent is Intent.OFFER, text) for u, text, _ in read])
    assert intent >= 0.93, missed
    offered = [(u, text, category) for u, text, category in read if u.intent is Intent.OFFER]
    category, wrong = _share([(u.category == category, text) for u, text, category in offered])
    assert category >= 0.85, wrong
    assert all(u.urgency is None and (u.category is None or u.skills[0] == u.category) for u, _, _ in offered)


@pytest.mark.parametrize("text", EMERGENCYS)
def test_emergencies_are_never_missed(text: str) -> None:
    u = understand(text, NOW)
    assert u.intent is Intent.EMERGENCY, text
    assert u.urgency == "urgent"
    assert u.category is None
    assert u.emergency_kind in (*KINDS, "other")


def test_chatter_notices_and_thanks_rarely_make_a_card() -> None:
    read = [(understand(text, NOW), text) for text in OTHERS]
    quiet, carded = _share([(u.intent is Intent.OTHER, text) for u, text in read])
    assert quiet >= 0.94, carded
    assert all((u.category, u.urgency) == (None, None) for u, _ in read if u.intent is Intent.OTHER)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("快来人 5号楼刘奶奶在楼梯上摔倒了起不来", "fall"),
        ("爷爷突然胸口剧痛 脸色发白", "chest_pain"),
        ("张大爷晕倒在单元门口 叫他也没反应", "unconscious"),
        ("6号楼窗户冒黑烟了 好像着火了", "fire"),
        ("楼道里煤气味特别重 好像漏气了", "gas"),
        ("水管爆了 厨房都淹了", "flood"),
        ("电梯卡在7楼和8楼中间 我和孙子被关在里面", "trapped"),
        ("我爸有老年痴呆 出去遛弯一直没回来", "missing"),
        ("救命 我老公抽搐了 口吐白沫", "seizure"),
    ],
)
def test_emergency_kind_picks_the_number_to_call(text: str, kind: str) -> None:
    assert understand(text, NOW).emergency_kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "消防演习通知:下周三下午 听到警报从楼梯疏散",
        "上周摔了一跤 现在好多了",
        "王奶奶之前摔的那一跤已经恢复得差不多了",
        "燃气公司明天上午上门安检 请家里留人",
        "如果闻到燃气味 千万不要开灯",
        "电饭锅插上电没反应",
        "我家猫跑丢了 大家帮忙留意一下",
        "手机摔了 屏幕碎了",
        "楼下有人抽烟 烟味飘到我家了",
        "厨房水管一直滴水 想找个会修的师傅",
    ],
)
def test_past_events_notices_and_objects_are_not_emergencies(text: str) -> None:
    assert understand(text, NOW).intent is not Intent.EMERGENCY


@pytest.mark.parametrize(
    ("text", "intent", "category"),
    [
        ("/need 明天帮我买点菜", Intent.REQUEST, "shopping"),
        ("/求助 奶奶的降压药没了", Intent.REQUEST, "medicine"),
        ("#求助 好的", Intent.REQUEST, "other"),
        ("#help 谢谢大家", Intent.REQUEST, "other"),
        ("/offer 明天下午有空", Intent.OFFER, None),
        ("#帮忙 我会修自行车", Intent.OFFER, "repair"),
        ("#offer haircuts for seniors on Sunday", Intent.OFFER, "haircut"),
        ("@linli_bot /need 谁能帮我取个快递", Intent.REQUEST, "errands"),
    ],
)
def test_explicit_forms_win(text: str, intent: Intent, category: str | None) -> None:
    u = understand(text, NOW)
    assert (u.intent, u.category, u.explicit) == (intent, category, True)


def test_explicit_request_keeps_the_emergency_kind() -> None:
    u = understand("/求助 爷爷晕倒了 叫不醒", NOW)
    assert (u.intent, u.urgency, u.emergency_kind) == (Intent.REQUEST, "urgent", "unconscious")


def test_mentions_are_stripped() -> None:
    u = understand("@邻里助手\u2005厨房灯坏了谁能来修一下", NOW)
    assert (u.intent, u.category) == (Intent.REQUEST, "repair")
    assert understand("@linli_bot 好的", NOW).intent is Intent.OTHER


@pytest.mark.parametrize(
    ("text", "building", "unit", "room"),
    [
        ("3号楼502王奶奶想请人明天帮忙买菜", "3号楼", None, "502"),
        ("我在7号楼2单元601 不着急", "7号楼", "2单元", "601"),
        ("grandma in 5-1-302 needs groceries", "5号楼", "1单元", "302"),
        ("Building 6, unit 2, 1202", "6号楼", "2单元", "1202"),
        ("Building 7 room 302", "7号楼", None, "302"),
        ("阿拉刚搬来三号楼", "3号楼", None, None),
        ("8號樓2單元", "8号楼", "2单元", None),
        ("3号楼5楼 谢谢", "3号楼", None, None),
        ("电话13812345678", None, None, None),
    ],
)
def test_where(text: str, building: str | None, unit: str | None, room: str | None) -> None:
    u = understand(text, NOW)
    assert (u.building, u.unit, u.room) == (building, unit, room)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("照看两个小时孩子", 2.0),
        ("半小时就行", 0.5),
        ("完成 用了40分钟", 0.67),
        ("done, took 1.5 hours", 1.5),
        ("一个半小时", 1.5),
        ("大概三个多小时", 3.0),
        ("谢谢", None),
    ],
)
def test_duration(text: str, hours: float | None) -> None:
    assert understand(text, NOW).duration_hours == hours


@pytest.mark.parametrize(
    ("text", "wellbeing"),
    [
        ("我挺好的 吃过早饭了 不用惦记", "good"),
        ("还行 老样子", "fair"),
        ("今天有点头晕 不太舒服", "bad"),
        ("没有不舒服 放心", "good"),
        ("I'm fine, thanks", "good"),
        ("feeling dizzy today", "bad"),
        ("收到", None),
    ],
)
def test_wellbeing(text: str, wellbeing: str | None) -> None:
    assert understand(text, NOW).wellbeing == wellbeing


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("谁能帮我买点菜", "zh-Hans"),
        ("有沒有鄰居可以幫我買菜", "zh-Hant"),
        ("Could someone buy groceries for me?", "en"),
        ("谁能陪我爸去hospital做个CT he can't walk well", "zh-Hans"),
        ("OK 收到 thx", "zh-Hans"),
        ("👍👍👍", "zh-Hans"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert understand(text, NOW).language == language


def test_offer_lists_every_skill_it_names() -> None:
    u = understand("退休电工一个 换灯泡修插座都行 也会教老人用手机 有需要的喊我", NOW)
    assert u.intent is Intent.OFFER
    assert {"repair", "tech_help"} <= set(u.skills)
    assert u.category == u.skills[0]


def test_general_offer_has_no_category_but_a_window() -> None:
    u = understand("我明天下午有空 谁家需要帮忙可以找我", NOW)
    assert (u.intent, u.category, u.skills) == (Intent.OFFER, None, ())
    assert u.when is not None
    assert u.when[0].isoformat() == "2026-11-26T13:00:00+08:00"


@pytest.mark.parametrize(
    "text",
    [
        "我周末有空 可以上门陪诊 半天180 全天300 提前一天约",
        "家电清洗 油烟机一台120 空调一台80 楼里邻居打八折 需要的找我",
        "Happy to walk your dog while you're away, 60 yuan per walk, DM me",
        "需要陪老人复查的找我 我专门做这个 半天一百五 挂号取药都包",
        "Happy to tutor maths for anyone's kids after school, ¥150 an hour, 10 years experience",
        "I can help with school runs this month, 80/hr, references available",
        "可以帮忙遛狗 楼里的狗都行 RM20 一次",
    ],
)
def test_help_for_a_price_is_an_advert_not_an_offer(text: str) -> None:
    assert understand(text, NOW).intent is Intent.OTHER


def test_help_for_free_is_still_an_offer() -> None:
    assert understand("谁家老人要去医院复查 我周末有空陪着去 不收钱", NOW).intent is Intent.OFFER
    assert understand("腊肉腌多了 谁家老人想吃 来拿两块 不要钱", NOW).intent is Intent.OFFER


def test_emergency_has_no_window() -> None:
    assert understand("我爸明天上午摔倒了起不来", NOW).when is None


# (now, text, intent, category, urgency, start of the window as MM-DD HH:MM or None); 2026-12-01 is a Tuesday.
SCENARIOS = [
    ("2026-12-01T08:30", "明天谁去早市 帮我带两斤排骨 7号楼", "request", "shopping", "normal", "12-02 08:00"),
    (
        "2026-12-01T08:30",
        "我奶奶的速效救心丸吃完了 今天得买到 谁能帮忙跑一趟药店",
        "request",
        "medicine",
        "urgent",
        "12-01 08:00",
    ),
    (
        "2026-12-02T19:00",
        "明天中午谁能帮我从食堂打份饭 腿疼下不了楼",
        "request",
        "meals",
        "normal",
        "12-03 11:00",
    ),
    (
        "2026-12-03T14:00",
        "下周一我要去肿瘤医院复查 想找个人陪着",
        "request",
        "medical_escort",
        "normal",
        "12-07 08:00",
    ),
    (
        "2026-12-04T09:15",
        "周六上午谁能来帮我婆婆量个血压 她最近头晕",
        "request",
        "health",
        "normal",
        "12-05 08:00",
    ),
    (
        "2026-12-05T16:40",
        "水龙头关不上了 水一直流 谁懂的现在能过来看看吗",
        "request",
        "repair",
        "urgent",
        "12-05 16:40",
    ),
    ("2026-12-06T10:00", "下周六想请两个人帮忙大扫除 有偿", "request", "cleaning", "normal", "12-12 08:00"),
    (
        "2026-12-07T11:00",
        "我爸今天下午一个人在家 谁有空去陪他下下棋",
        "request",
        "companionship",
        "normal",
        "12-07 13:00",
    ),
    (
        "2026-12-08T07:10",
        "今天下午4点谁能帮忙去幼儿园接孩子 我临时加班 急",
        "request",
        "childcare",
        "urgent",
        "12-08 16:00",
    ),
    ("2026-12-09T20:30", "周六谁能给我家孩子补补数学 初三了", "request", "tutoring", "normal", "12-12 08:00"),
    ("2026-12-10T09:00", "明天下午两点谁能上门给我爸理个发", "request", "haircut", "normal", "12-11 14:00"),
    (
        "2026-12-11T15:20",
        "明天上午有没有人教我用手机挂号 我在3号楼",
        "request",
        "tech_help",
        "normal",
        "12-12 08:00",
    ),
    ("2026-12-12T10:30", "下午谁能帮我把快递搬上楼 太重了", "request", "errands", "normal", "12-12 13:00"),
    ("2026-12-13T09:00", "我想咨询一下拆迁补偿的问题 有没有懂行的", "request", "legal", "normal", None),
    (
        "2026-12-14T18:00",
        "明天谁能帮我照看一下我家的狗 我要出门一天",
        "request",
        "other",
        "normal",
        "12-15 08:00",
    ),
    ("2026-12-15T08:00", "今天下午我有空 谁家需要帮忙说一声", "offer", None, None, "12-15 13:00"),
    (
        "2026-12-16T12:00",
        "周六上午我在家 会修小家电 谁家有东西坏了可以拿过来",
        "offer",
        "repair",
        None,
        "12-19 08:00",
    ),
    ("2026-12-17T21:00", "明早我去早市 谁要带菜留言", "offer", "shopping", None, "12-18 06:00"),
    ("2026-12-18T10:00", "我是退休语文老师 孩子写作文有困难的可以来找我", "offer", "tutoring", None, None),
    (
        "2026-12-19T09:00",
        "明天下午在2号楼楼下免费给老人理发 我自己带工具",
        "offer",
        "haircut",
        None,
        "12-20 13:00",
    ),
    ("2026-12-20T09:00", "5号楼有个老人晕倒在电梯口了 快来人", "emergency", None, "urgent", None),
    ("2026-12-21T09:00", "楼下配电箱着火了!!", "emergency", None, "urgent", None),
]


@pytest.mark.parametrize(("now", "text", "intent", "category", "urgency", "start"), SCENARIOS)
def test_scenarios_with_time(
    now: str, text: str, intent: str, category: str | None, urgency: str | None, start: str | None
) -> None:
    u = understand(text, datetime.fromisoformat(now + ":00+08:00"))
    assert (u.intent, u.category, u.urgency) == (intent, category, urgency), text
    got = f"{u.when[0]:%m-%d %H:%M}" if u.when else None
    if start is None or got is None:
        assert got == start, text
    else:
        assert got[:5] == start[:5], text
        expected_hour, got_hour = int(start[6:8]), int(got[6:8])
        assert abs(expected_hour - got_hour) <= 2, text


def test_an_ask_that_names_what_it_wants_is_no_thanks_for_help_given() -> None:
    # "帮我带袋米 十斤的" once read as a report of help already given, and "一点都不会" as a repair that held
    for text in (
        "哪个明天去超市 帮我带袋米 十斤的那种 我扛不上楼",
        "劳驾哪位去物美 给我捎一瓶六必居的甜面酱 甭着急",
        "明天就期末考了 孩子物理浮力一点都不会 哪位懂的今晚能给讲半小时",
    ):
        assert understand(text, NOW).intent is Intent.REQUEST, text
    assert understand("感谢小张帮忙修好了灯 手艺不错", NOW).intent is Intent.OTHER


def test_how_often_is_no_price() -> None:
    u = understand("我退休在家 谁家狗没人遛 我一天2次带出去 不要钱", NOW)
    assert u.intent is Intent.OFFER
