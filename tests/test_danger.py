"""The danger reader: states of people and places, and what makes danger words harmless."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.understanding.danger import read_danger
from handlers.understanding.lexicon import normalise

ALARMS = [
    # told by the state of the person, not a keyword
    ("unconscious", "楼下孙阿姨坐在椅子上 喊她半天没反应 手也凉"),
    ("unconscious", "我爸突然人软下去了 眼睛闭着 怎么叫都不应"),
    ("unconscious", "对门老杨三天没开门了 报纸堆在门口 里面有哼哼的声音"),
    ("trapped", "我妈洗澡卡在浴缸里出不来 腿使不上劲 快来人"),
    ("fall", "外婆坐在地上起不来了 一直喊腰疼"),
    ("fall", "佢跌低咗 起唔到身 6座502"),
    ("breathing", "老伴喘不上气 嘴唇都发紫了"),
    ("stroke", "我爷爷刚才吃饭突然嘴歪了 说话也不清楚"),
    ("choking", "孩子吃汤圆噎住了 脸憋得通红"),
    ("bleeding", "切菜切到手 血止不住 流了一地"),
    ("seizure", "有个大叔在花坛边抽搐 口吐白沫"),
    ("poisoning", "奶奶把降压药当糖吃了好几片 现在迷迷糊糊"),
    ("self_harm", "十二楼天台上坐着个人 腿伸在外面 说不想活了"),
    ("self_harm", "我闺蜜发消息说这是最后一次跟我说话了 她住8栋"),
    ("fire", "电动车在楼道里充电起火了 黑烟往上冒"),
    ("gas", "一进楼道就是一股臭鸡蛋味 像是煤气泄漏"),
    ("flood", "暖气片爆了 热水往外喷 地上全是水"),
    ("trapped", "电梯停在五楼和六楼中间 里面有老人出不来"),
    ("missing", "我爸有老年痴呆 早上出门到现在没回来 穿蓝色羽绒服"),
    ("missing", "一转眼孩子就不见了 三岁 穿红衣服 在小区花园"),
    ("chest_pain", "He says his chest hurts and he is sweating a lot, building 5"),
    ("unconscious", "my neighbour collapsed in the lobby and is not responding"),
    # states the reader had no words for
    ("seizure", "外孙发高烧 惊厥了 手脚一直在抖"),
    ("seizure", "他刚抽完一次 没过几分钟又开始抽了"),
    ("seizure", "my uncle is having fits on the kitchen floor"),
    ("self_harm", "我不想再熬下去了 安眠药攒了一抽屉"),
    ("self_harm", "老舅说他活够了 一个人关在屋里"),
    ("breathing", "宝宝呼吸特别急 鼻翼一扇一扇的"),
    ("fire", "车棚里那辆电瓶车充电的时候炸了 火窜起来了"),
    ("gas", "师傅打孔把燃气管打穿了 一直往外冒气"),
    ("trapped", "我阿婆困咗喺𨋢入面 出唔到嚟"),
    ("missing", "在超市一回头 我妈就没了 她有点糊涂"),
    ("other_medical", "我被邻居家的狗咬了 小腿上两个血洞"),
    ("electric", "我爸换灯泡被电打了 手发麻"),
    ("burn", "热油溅出来 半边手背都是泡"),
    # a roof edge in Cantonese, a goodbye message, a lift by any name, lime in the eyes
    ("self_harm", "佢啱啱send咗张相 企喺天台边 写住再见"),
    ("self_harm", "my student posted a goodbye message in the class group and her parents can't reach her"),
    ("trapped", "我同我妈被关在地库的elevator里 手机冇信号"),
    ("trapped", "we're stuck in the 3栋 lift and the alarm button does nothing"),
    ("burn", "装修师傅被石灰烧到眼睛了 一直在喊"),
]

DOUBTED_ALL_CLEAR = [
    # "not a drill", said any way, keeps the alarm a notice would have quieted
    ("fire", "刚有人说是演习 不是的 物业没发过通知 地下室配电房真在冒黑烟"),
    ("fire", "唔係演習啊 真係有煙 後樓梯成條都係 我哋喺八樓落唔到去"),
    # the writer doubts the all-clear they report
    ("poisoning", "应该没啥大事吧 就是我爸在生炉子那屋睡了一宿 起来头疼得要命 吐了两回"),
    ("burn", "我奶奶一直说没事没事 可是烫到的那块已经变白了 一碰就掉皮"),
]

MORE_STATES = [
    ("fire", "🔥🔥 7楼着了"),
    ("self_harm", "她说她没事 可她已经跨到阳台外边了 9楼"),
    ("self_harm", "老伴走了 我不想拖累孩子 药我都准备好了 跟大家说声再见"),
    ("stroke", "刚才开始我看东西一半是黑的 右手拿不住杯子"),
    ("gas", "燃气灶底下一直嘶嘶地响 我不敢开灯"),
    ("bleeding", "我爸吃华法林的 手上划了个口子 血到现在还在淌"),
    (
        "unconscious",
        "the old lady downstairs hasn't taken in her post for four days and there's a smell from her door",
    ),
    ("missing", "我爸有点糊涂 昨天就找不着了 以为去他闺女家了 刚问过 根本没去 一天一夜了"),
]

TRAINING_SPLIT_STATES = [
    # the all-clear for an old matter comes before a change of subject; the danger after it is now
    ("unconscious", "先谢谢大家上周帮我找猫 猫已经好好的了 对了 现在有个事 我老公推他也不醒 呼吸特别慢"),
    ("trapped", "谢谢上周帮我搬家的小哥 东西都安顿好了 对了 我婆婆在卫生间里出不来 门打不开"),
    ("trapped", "关电梯里了"),
    ("flood", "家里水漫过脚了"),
    ("gas", "楼下gas味好重 someone check一下"),
    ("gas", "smell very bad like rotten egg in my kitchen, my kid say headache"),
    ("electric", "Power line down in the courtyard after the storm, sparking next to the path"),
    ("breathing", "佢唔識郁 口唇黑晒 我喺5座大堂"),
    ("other_medical", "憋气 憋死了 救我"),
    ("missing", "Two kids missing from the courtyard, 6 and 8, last seen near the bike shed"),
    ("self_harm", "他把花和象棋都送人了 刚才跟我说以后就不麻烦你们了 现在一个人往河边走了"),
    ("self_harm", "我把这几个月的安眠药都攒在桌上了 今晚有人能来陪陪我吗"),
    # "最近的医院" is the nearest hospital, not "lately"
    ("other_medical", "我家小孩被狗咬了 腿上好几个洞 谁知道最近的医院怎么走 急"),
]

ASKED_WHILE_IT_HAPPENS = [
    # a how-to question about what is happening now is the alarm itself
    ("choking", "海姆立克怎么做 我女儿被花生呛住了 现在还能咳一点点 脸憋得通红"),
    ("gas", "闻到煤气是先关阀还是先开窗 我家现在满屋子都是味"),
    ("seizure", "my son is having fit, eyes roll up, what i should do??"),
    ("poisoning", "my boy drink the dishwasher liquid, he vomit now, what to do?"),
    ("poisoning", "对了问一下 我家老头刚才把防冻液当酒喝了一口 现在说肚子里烧得慌"),
    ("self_harm", "my brother keeps saying he wants to end it and won't open his door"),
    ("breathing", "我儿子asthma发作 inhaler用完了 谁家有ventolin 急"),
    ("flood", "哦还有个急事 楼上漏水顺着墙往下淌 插座都泡了"),
    ("other_medical", "我爸冷库里搬了一天货 回来浑身冰 打寒战停不下来 体温35度都不到"),
    ("seizure", "孩子今天抽第二回了 这回嘴都紫了 上次医生说再抽就赶紧送"),
]

LATEST_STATES = [
    # r17: a change of subject told as 先甭管这个 / 出事了, sliding to the floor, pills chewed
    ("fall", "谁会修自行车 哎先甭管这个了 我们家老太太刚下床一脚踩空出溜地上了 一动就嚎"),
    ("poisoning", "谢谢大家上次推荐的阿姨 就是刚才出事了 孩子把降压药啃了好几粒 现在有点蔫"),
    # an all-clear the writer reports but doubts
    ("stroke", "my landlady is slurring her words and can't lift her right arm, keeps saying she's fine"),
    ("burn", "媽媽一直說沒事沒事 可是燙到的那片已經變成白色 一碰就掉皮"),
    ("gas", "我外公打电话说家里有股怪味 他头有点晕 他一个人在家"),
    ("falling", "8楼那个空调外机就剩一边挂着 风一吹就晃 下面是幼儿园门口"),
    ("self_harm", "我最近一直睡不着 真的撑不下去了 今晚打算把攒的药全吃了"),  # never a chronic complaint
    (
        "unconscious",
        "老爸从昨晚起电话就没人接 他一个人住 有心脏病 门口的报纸也没拿",
    ),  # since last night: still
    ("unconscious", "我老公暈低咗喺車房 架車仲開住引擎"),
    ("chest_pain", "老伴刚才又说胸口那种压着的感觉回来了 含了药也不管用"),
    # r18: warning signs of self-harm told without the words, a lost elder not found yet, a smell
    ("self_harm", "对门大哥这几天把家当都送给邻居了 今天又买了两袋木炭 窗帘一直拉着"),
    ("self_harm", "我姑说那些降压药她一直攒着 攒了快一瓶了 说够了 现在电话也不接"),
    ("self_harm", "she keeps giving away her books and her plants, said she won't need the kettle anymore"),
    ("missing", "我奶奶脑子有点糊涂 下午出去买豆腐 到现在都没找着 穿灰棉袄"),
    ("gas", "煤气罐那屋门一开 整个厨房全是味 老太太还在里头"),
    # r19: typed in a panic (跳搂, 天然器), dialect (整不醒, 抽过去了), a flooded room, dementia "gone"
    ("unconscious", "俺家老头咋整都整不醒 快来人"),
    ("self_harm", "楼上小伙子喝多了说要跳搂 人在阳台边上"),
    ("seizure", "刚才还好好的 突然抽过去了 快"),
    ("gas", "厨房天然器漏了 嘶嘶响"),
    ("fire", "楼道里烟好多 呛得睁不开眼"),
    ("missing", "grandpa has dementia and now he's gone, blue jacket, last seen at the gate"),
    ("flood", "洗碗机那根管子松了 卫生间全是水 我关不上"),
    # r20: a goodbye with a rope, pills taken twice, breathing that stops and starts
    ("self_harm", "my friend just texted me a photo of a rope and now she won't pick up"),
    ("poisoning", "奶奶把降压药吃了两遍 现在头晕站不住"),
    ("breathing", "grandpa's breathing has long pauses and then he gasps"),
    ("self_harm", "佢頭先send咗個message話想了結自己 而家唔聽電話"),
    # training-split misses out of fold: fire told by what burns, a gas floor, an elder calling out,
    # medicine that no longer helps, a farewell with pills, a sick canteen forwarded, lost near here
    ("fire", "樓下燒衣紙 火屑飄咗上嚟 三樓個雨棚燒緊"),
    ("fire", "院子里那堆柴火窜起来了 离楼就几米"),
    ("fire", "卡式炉的气罐鼓起来了 炉子还开着"),
    ("gas", "不是演习 真的是煤气 整个楼道全是"),
    ("fall", "对门老太太喊了一晚上 门敲不开"),
    ("chest_pain", "老头又说那股压着的劲儿回来了 含了两片硝酸甘油也不管用"),
    ("self_harm", "她发了张药片的照片 说以后别来找我"),
    ("poisoning", "【转】食堂午饭后好几个老人上吐下泻 站不起来了 请有车的帮忙送医院"),
    ("missing", "转自隔壁小区群：一位认知障碍的奶奶走失 有人在咱们小区门口见过她"),
    ("flood", "卫生间灯罩里在滴水 灯还开着"),
    (
        "breathing",
        "His breathing keeps stopping, long pauses then gasps. Family said call if anything changes",
    ),
    # r22: told by the person in trouble, in a few words
    ("breathing", "劳驾 我这儿喘不上来了 嗓子眼发紧"),
    ("unconscious", "爸爸 不醒 我 怕"),
    (
        "unconscious",
        "Haven't seen the man in 3-402 for days, newspapers piling up and a groaning sound inside",
    ),
    ("self_harm", "I've written the notes. I don't want to be here anymore"),
    ("self_harm", "活着太累了 今晚想结束 不要找我"),
    ("missing", "闺女放学三个钟头了还没到家 电话手表也打不通"),
    ("other_medical", "烧到四十度一天了 浑身打摆子 下不了床 一个人住"),
    # all-clear words that must not swallow an alarm said beside them
    ("unconscious", "敲了半天门 里面没人应 我爸一个人住 有心脏病"),
    ("flood", "总闸关了 水还在往外冒 快来人"),
    ("fall", "回来才知道我妈从楼梯上滚下去了 现在起不来"),
    ("fall", "我爸倒在厕所了 谁有他家备用钥匙"),
    ("fire", "【紧急】3号楼起火 请立即从楼梯撤离 严禁乘坐电梯"),
    # r23: waters broken or bleeding late in a pregnancy, a goodbye that hands over a pet or ends
    # with the phone off, something big burning, and what no longer hides them
    ("other_medical", "我儿媳怀孕八个月 刚才厕所里出血了 人在发抖"),
    ("other_medical", "羊水好像破了 车还堵在路上"),
    ("self_harm", "just wanted to say goodbye to you all, please take care of my dog for me"),
    ("self_harm", "她发了段告别的话 然后就关机了 住6栋"),
    ("fire", "something on the roof of block 9 is burning, huge orange glow"),
    ("fire", "Smoke pouring out of 402, if you're inside get out now"),
    ("gas", "维修说后天才来 可我现在闻得头晕 管子那边一直嘶嘶的"),
    ("poisoning", "谢谢大家之前推荐的菌子店 今天自己采的菌子炒了一盘 吃完全家都吐 我妈手在抖 现在咋办"),
    # r24: still not back though lost once before, one side numb or leaking, still no news, blood
    # running, someone thrashing in the water, a narrative that ends in "what do I do"
    ("missing", "我妈说出去遛弯 两个钟头了还没回来 她有阿尔茨海默 上次也走丢过"),
    ("stroke", "我爸说左半边胳膊发麻 拿不稳碗"),
    ("stroke", "我妈喝水从嘴角漏出来 说话也慢了"),
    ("other_medical", "我妈说眼前一阵一阵发黑 站都站不住"),
    ("missing", "外婆还是没消息 天都黑了 她有老年痴呆"),
    ("bleeding", "切菜切到手 血一路流到地上"),
    ("other_medical", "湖里有个人在扑腾 看着像小孩"),
    ("unconscious", "中午给我爷爷送饭 他歪在椅子上喊他不理 手冰凉的 我该怎么办"),
    ("missing", "我外公下楼买烟去了 他有点糊涂 不认得回家的路"),
    # r25: said they went somewhere that never saw them, hours since an elder left, nobody to be
    # seen, still no sign; typed apart or misheard; hot food tipped onto a foot; better off dead
    ("missing", "我姥爷说去菜场 卖菜的说压根没见着人 他记性不好"),
    ("missing", "奶奶出门都五个钟头了 她有点糊涂 老是忘事"),
    ("missing", "推我外婆出来晒太阳 我去买水的工夫 轮椅和人都没了"),
    ("missing", "Still no sign of my grandad, he has dementia and it's getting dark"),
    ("other_medical", "救 命 5栋"),
    ("chest_pain", "快打就护车 我老公心埂了"),
    ("burn", "一锅热汤泼在孩子腿上了 裤子粘着皮"),
    ("self_harm", "我死了倒好 活着拖累大家"),
    ("self_harm", "the neighbour's son is on the balcony saying he will jump, what do I do"),
    ("flood", "楼上漏得跟瀑布一样 天花板要塌了"),
    # r26: the place they should be says they never came, gone from where they were left, the means
    # made ready, last words, tens of pills, slumped in a doorway, a cry for help behind a door
    ("missing", "我爸这个点该在老年大学 老师说他今天根本没到 他记性不好"),
    ("missing", "陪奶奶排队挂号 我去缴费回来 椅子上没人了"),
    ("self_harm", "药都准备好了 这是最后一次在群里说话"),
    ("self_harm", "绳子已经系好了 别找我"),
    ("self_harm", "my brother is standing on the ledge of our building and won't talk"),
    ("poisoning", "我刚吞了二十多片安定 现在有点困"),
    ("unconscious", "对门阿姨家门开着 她瘫在门厅地上"),
    ("trapped", "配电房门外听见有人呼救 门锁着"),
    # r27: pills saved up, a goodbye by text that hands over a pet, still burning though "平安",
    # a window glowing red, a baby's ribs sucking in, stuck in the bath, ice over a door
    ("self_harm", "这阵子药都攒够了 今晚就不打扰大家了"),
    ("self_harm", "my roommate just texted me 'take care of my cat' and won't pick up"),
    ("fire", "报个平安 人都跑出来了 屋里火还在烧"),
    ("fire", "对面仓库窗户里面通红的 还噼里啪啦响"),
    ("breathing", "孩子喘气的时候肋骨一窝一窝往里陷"),
    ("trapped", "我妈在浴缸里起不来了 水都凉了"),
    ("falling", "单元门上面的冰挂往下掉 门口老有人进出"),
    # r28: pills stored up (Cantonese), tens of tablets taken (English)
    ("self_harm", "啲藥我儲咗好耐 聽日唔使再醒"),
    ("poisoning", "my flatmate swallowed 30 tablets an hour ago and is very sleepy"),
]

MINNAN = [
    ("fall", "阮阿嬤去菜園仔 跋落去田溝仔 爬袂起來"),
    ("self_harm", "阿舅講欲跳溪 這馬人徛佇橋頂"),
    ("missing", "阿嬤袂記得路 透早去廟口 這馬揣無人"),
]

FORWARDED_HERE = [
    # a forward from the next building's group is the alarm itself
    ("burn", "转自5号楼群:5号楼下面一个装修工人被石灰烫伤眼睛 在那喊"),
    ("falling", "转发业主反映:3栋楼顶的热水器被风掀起来了 随时会掉 楼下有人在排队"),
]

HARMLESS = [
    ("notice", "【温馨提示】周五下午消防演练 听到警报不要慌张 按指引从楼梯撤离"),
    ("notice", "燃气公司明天上门安检 请家里留人"),
    ("past", "上个月那场火的善后 物业说下周开会"),
    ("past", "昨天走丢的王大爷已经找到了 谢谢大家帮忙转发"),
    ("past", "我妈上周摔了一跤 现在好多了 谢谢关心"),
    ("how-to", "老人摔倒了应该怎么扶才对?"),
    ("how-to", "请问心肺复苏的步骤是什么"),
    ("mild", "还是有点头晕"),
    ("hypothetical", "万一老人半夜摔倒了家里没人怎么办 想装个报警器"),
    # a forwarded tip names no place here; an all-clear ends the alarm
    ("notice", "转发:冬天烧炭取暖容易一氧化碳中毒 一定要开窗"),
    ("past", "【警情解除】7栋的燃气异味已排查完毕 住户可以正常用气"),
    ("past", "昨昏阮阿公跋倒 送去病院矣 醫生講無要緊 多謝大家"),
]

NOT_DANGER = [
    "我家猫不见了 谁看到一只橘猫",
    "新的护工还没找到 下周谁能帮我陪我妈几天",
    "我妈这两年出门老找不到回家的路 谁周末能陪她去菜场",
    "我得出门两个钟头 谁能来陪我家老人坐一会儿",
    "我儿子天天打游戏 在家也跟失踪一样",
    "楼上漏水 我家天花板都鼓包了 谁会补墙",
    "谢谢昨天帮我妈扛米的小伙子 她说没来得及问名字",
    "快递员说没到货 让我明天再去取",
    "我爸看新闻联播看得直打瞌睡",
    "钥匙找不到了 急死了",
    "手机摔了一下 屏幕碎了",
    "楼下烧烤 呛得很",
    "今天心情不错 出去溜达了",
    "快递找不到了 显示已签收",
    # words near the new danger cues that are everyday life
    "孩子困了在车上睡着了",
    "我爸又抽了一根烟 说了戒烟",
    "降压药都吃完了 谁帮我买一盒",
    "网络随时会掉线",
    "洗衣机里全是泡",
    "优惠今晚就结束了",
    "my mom is having a fit about the mess",
    "锅里往外冒气",
    "孩子个子一下窜起来了",
    # near the newest cues
    "我家楼下着凉了好几个 都在咳嗽",
    "火锅店的牛油味熏得我头疼",
    "别担心 这次就是演习 听到警报按指引下楼",
    "今天三个deadline 谁来救救我的PPT",
    "怕我妈哪天又被关电梯里 想给她手机存个物业电话",
    "my son fell off his scooter, knee a bit swollen, not serious",
    "If someone faints in the lift, do we call 120 first or the property office?",
    # hyperbole and small scrapes already seen to
    "看完期末成绩单 我心梗都快犯了",
    "这道物理题做得我想跳楼",
    "gas bill came, nearly had a heart attack",
    "女儿骑滑板车跌倒了 膝盖擦破点皮 已经涂好药了",
    "孙子从沙发上滚下来了 一点事木有 还在笑",
    "前两日屋企水喉爆咗 整好咗喇 多謝關心",
    "My phone is having a fit, it reboots every five minutes",
    "聽講隔離區有個後生仔跑馬拉松暈低 大家有時間去學下急救",
    # all-clears, figures of speech, tests and ads
    "刚才炒菜油锅起火 我盖上锅盖就灭了 没事 大家炒菜别离人",
    "My son fell off his bike, just a scraped knee, cleaned and bandaged, he's fine",
    "吃粘豆包噎着了 喝口热水顺下去了",
    "这个月信用卡账单 看完直接心脏骤停",
    "this deadline is giving me a heart attack",
    "omg I fell for the 11.11 discount again",
    "我老板又抽风了 大周末让加班",
    "累瘫在沙发上 动都不想动",
    "NOTICE from property: Fire alarm test in Tower 2 tomorrow 10:00, alarms will ring",
    "【防走失】认知症老人家属可到居委会领取防走失胸牌 走失时扫码联系家属",
    "转医院公众号:老年人洗澡时间不要太长 防止晕倒在浴室",
    "独立式烟雾报警器 9.9包邮 起火第一时间报警 买二送一",
    "How long can someone be unconscious before brain damage? Just watched a drama and now I'm curious",
    # r18: places named after a danger, a flood of greetings, figures of speech, a detector to buy
    "please keep the fire exit on 3F clear, someone left a sofa there",
    "sorry for the flood of photos, the plum blossoms are out",
    "the hotpot last night, my tongue is on fire still",
    "where can I buy a carbon monoxide alarm for my parents' flat?",
    "暖气太足了 一早起来嗓子干得冒烟",
    "孙子一看动画片就跟抽风似的 又蹦又跳",
    "外孙把洗洁精当饮料舔了一口 呸呸直吐 木事 漱了口就好了",
    "家里老人吃错药了该打哪个电话 想抄下来备用",
    "跳楼价甩卖 羽绒服一百块",
    "马桶进水阀坏了 一直响 谁会换",
    "燃气公司来查过了 说没漏 味道散了就行",
    # a card, a traffic jam, a device gone quiet, a flat battery, packaging, boredom
    "银行卡里的钱取不出来 柜台让办委托",
    "回来的路上堵在高架上 一动不动",
    "我爸的助听器没声了 想找人看看",
    "燃气报警器一直响 查了是没电了 不是漏气",
    "Nan's blister pack runs out on Sunday, could someone collect her refill?",
    "一个人在屋里憋得慌 想找人下盘棋",
    "老人分不清药 怕他吃重了 想买个分药盒",
    # leaving, bills, advice lists, a stopped leak or cut, a how-to, a hose test
    "钥匙我放地垫下面了 你回来自己拿 我先走了",
    "看完这个月的电费单子 心口疼",
    "my heart is bleeding for my wallet after that hotpot",
    "【被困电梯怎么办】1. 按警铃 2. 别扒门 3. 等救援",
    "总闸关了 不冒了 地上全是水 明天再收拾",
    "刮胡子划了个口子 血流了一下就止住了",
    "上急救课没听清 癫痫发作的时候到底可不可以按住他",
    "消防队在楼下试压 地上全是水 大家绕着走",
    "儿子放学一个钟头没回来 打电话才知道跑同学家写作业去了",
    "电动车后胎老漏气 谁会补胎",
    # r22: forwarded health tips, old floods, fog, all-clears said many ways, figures in English
    "转自社区医院公众号：高血压老人冬天早上别马上起床 小心中风 务必转给家里长辈",
    "那年发大水 这一片全淹了 一晃三十年了",
    "外面大雾 对面楼都看不见了 老人别出去锻炼了",
    "油溅到手背上 起了个小红点 不碍事",
    "刚才那点胸口疼是岔气了 活动活动就好了 甭打120了",
    "电梯又卡住了 还好里头没人 物业在修",
    "Fell off my bike, just a grazed knee, no big deal",
    "What a stroke of luck, the last box of crackers",
    "暖气太干 嗓子冒烟 多喝水",
    "今天又抽风了 这wifi一会儿断一会儿连",
    "胸口疼的话怎么判断是不是心梗 想了解一下",
]


@pytest.mark.parametrize(("kind", "text"), ALARMS)
def test_danger_told_by_the_state_of_a_person_or_place(kind: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.alarm, (text, reading)
    assert reading.kind == kind


@pytest.mark.parametrize(
    ("kind", "text"),
    DOUBTED_ALL_CLEAR + MORE_STATES + TRAINING_SPLIT_STATES + ASKED_WHILE_IT_HAPPENS + MINNAN + LATEST_STATES,
)
def test_a_doubted_all_clear_and_more_states(kind: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.alarm, (text, reading)
    assert reading.kind == kind


@pytest.mark.parametrize(("kind", "text"), FORWARDED_HERE)
def test_a_forward_about_a_place_here_is_no_tip(kind: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.alarm, (text, reading)
    assert reading.kind == kind


def test_asking_for_a_ride_to_hospital_is_not_help_already_given() -> None:
    reading = read_danger(normalise("十几个老人吃完午饭上吐下泻 有几个站不起来了 请有车的邻居帮忙送医院"))
    assert reading.alarm, reading
    assert read_danger(normalise("我爸上吐下泻 已经送医院了 谢谢大家")).harmless == "past"


def test_this_time_is_now_though_last_time_was_past() -> None:
    assert read_danger(normalise("我家老太太有点糊涂 又找不着了 上回是在公交站找到的 这回已经三个钟头")).alarm


@pytest.mark.parametrize(("reason", "text"), HARMLESS)
def test_danger_words_made_harmless(reason: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert not reading.alarm
    assert reading.harmless == reason


@pytest.mark.parametrize("text", NOT_DANGER)
def test_things_and_pets_are_no_danger(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_words_that_only_look_like_a_joke_or_the_past() -> None:
    # "don't take it as a joke" and "never like this before" are no reasons to stand down
    assert read_danger(normalise("不是开玩笑 楼道里真的在冒黑烟")).alarm
    assert read_danger(normalise("我爸说话含含糊糊的 以前从没这样 嘴也有点歪")).alarm


def test_meant_words_stay_an_alarm() -> None:
    # "真的想…跳下去" is said, not pushed to by something; recall first
    assert read_danger(normalise("我真的想从楼上跳下去")).alarm


def test_a_sign_of_danger_now_outweighs_the_past() -> None:
    # "yesterday" but still on the floor: an emergency.
    assert read_danger(normalise("我爸昨天晚上摔倒了 到现在还起不来 快来人")).alarm
    # a negation right before the cue
    assert not read_danger(normalise("还好没摔倒 扶住了")).alarm


SCRATCHES = [
    "我爸下楼摔了一下 膝盖擦破点皮 自己走回来了",
    "煎蛋的油溅到手上 烫了一下 起了个小泡 抹了点獾油",
    "被邻居家的狗咬了一口 就一个牙印 要不要打针啊",
    "孙女学骑车摔了一跤 膝盖擦破点皮 又骑上走了",
]
WORSE_THAN_A_SCRATCH = [
    ("fall", "我姥姥在厨房摔了 擦破点皮 可是一直躺在地上 说腿动不了"),
    ("fall", "老爷子下楼梯摔了一跤 头磕到台阶 流了点血 人有点晕"),
    ("bleeding", "削苹果削到手 起初是个小口子 十分钟了血还在流 毛巾都红了"),
]


@pytest.mark.parametrize("text", SCRATCHES)
def test_a_scratch_is_no_alarm(text: str) -> None:
    reading = read_danger(normalise(text))
    assert not reading.alarm, (text, reading)
    assert reading.harmless == "minor"


def test_still_bleeding_or_smoking_is_no_joke_and_not_over() -> None:
    assert read_danger(normalise("哈哈 我又犯蠢了 开罐头划了手 纸巾换了五张了还在渗 有点眼前发黑")).alarm
    assert read_danger(normalise("物业说电箱处理好了 可是又开始冒烟了 焦味越来越重 5栋")).alarm
    assert read_danger(normalise("cut my thumb on the mandoline, so much blood, can't get it to stop")).alarm


def test_everyday_words_that_only_sound_like_danger() -> None:
    # a stove left on, stuck at the office, a fish bone with the voice still clear
    assert not read_danger(normalise("谁帮我下楼拿个快递 我这灶上开着火炖汤呢 走不开")).alarm
    assert not read_danger(normalise("我在公司出不去 谁帮我去幼儿园接下孩子")).alarm
    assert not read_danger(normalise("喉咙里卡了根鱼刺 能说话能喝水 就是咽口水疼 附近哪个医院能取")).alarm
    assert read_danger(normalise("老太太吃鱼卡住了 说不出话 脸发紫")).alarm


TOLD_WITHOUT_A_STOCK_WORD = [
    ("missing", "商场三楼 孩子丢了 穿红棉袄"),
    ("missing", "我爷爷糊涂了 今早床上被子都没动过 一宿没回"),
    ("missing", "我家老太太有点痴呆 上午说去公园 到现在人影儿都没见着"),
    ("missing", "俺家老爷子脑子不好使 天没亮又摸出去了 外头零下十几度"),
    ("missing", "我弟是盲人 说去盲人按摩店 店里打电话说没到 出门三个钟头了"),
    ("self_harm", "这条是我设了定时发送的 你们看到的时候我已经走了"),
    ("self_harm", "谢谢这些年照顾 今晚我就跟这个世界告别了"),
    ("self_harm", "信放在枕头底下 房租我交到月底了 别怪我妈"),
    ("self_harm", "一点点攒的药 今天数了数 够了"),
    ("self_harm", "最后一条了 别回 谢谢你们"),
    ("self_harm", "猫粮我买了半年的 谁来领走我的猫 我明天就不在了"),
    ("poisoning", "我孙子喝了两口消毒液 一直哭"),
    ("trapped", "垫梯关人了 7栋 谁有物业电话"),
]


def test_look_alikes_of_the_new_signs() -> None:
    # found and called off, a thing lost, a counter not found, a loan forgiven
    assert not read_danger(normalise("大家不用找了 老太太回来了 在她闺女家")).alarm
    assert not read_danger(normalise("孩子丢了一只手套 蓝色的 谁捡到了说一声")).alarm
    assert not read_danger(normalise("我眼睛看不见 在银行找不到柜台 谁能陪我办一下")).alarm


GOODBYES_AND_BROKEN_HABITS = [
    ("self_harm", "卡和存折都放你抽屉了 以后不用给我寄钱了 照顾好自己"),
    ("self_harm", "我老伴前年走的 我这就去找我老伴了 你们别惦记"),
    ("self_harm", "跟弟弟说 这辈子就这样了 对不起"),
    ("self_harm", "I'm sorry for the mess. I left the door unlocked for whoever finds me"),
    ("self_harm", "他说要去见他老伴 他老伴去年走的 说完就挂了 电话关机"),
    ("unconscious", "杨奶奶天天早上来打水 今天没来 她一个人住 谁去敲下门"),
    ("unconscious", "老孙头每天傍晚在亭子里拉二胡 三天没来了 他独居 有高血压"),
]


def test_look_alikes_of_goodbyes_and_habits() -> None:
    # asking company for a widower, a neighbour away with family, a past threat that ended well
    assert not read_danger(normalise("我爸自从老伴走了就闷闷的 谁有空陪他下下棋")).alarm
    assert not read_danger(normalise("王阿姨今天没来跳舞 她去女儿家了 下礼拜回来")).alarm
    assert not read_danger(normalise("上个月那个吵着要跳楼的小伙子 后来劝下来了 今天看他挺好的")).alarm


SETTLED_OR_ON_SCREEN = [
    ("past", "刚才那条着火了是我外孙拿我手机乱发的 大家别当真"),
    ("past", "我妈刚才低血糖 心慌出汗 喝了杯糖水 缓过来了"),
    ("news", "昨晚那部纪录片里 矿工被困井下七天 看得我一身汗"),
    ("notice", "物业今天请消防队来演示油锅起火怎么灭 十点 广场"),
    ("how-to", "被猫抓破了多久以内要打狂犬疫苗"),
]


def test_not_yet_recovered_is_no_recovery() -> None:
    assert read_danger(normalise("我爸抽搐了快十分钟 还没缓过来 12号楼")).alarm


SAID_QUIETLY = [
    ("self_harm", "鱼缸里的鱼谁要 今晚来拿 明天起这屋就没人了"),
    ("self_harm", "团购的苹果我那份不要了 明天起我什么都不用吃了"),
    ("self_harm", "can someone take my plants? won't be around after tonight"),
    ("self_harm", "存的那些安眠药我刚一口气全吃了 门没锁"),
    ("self_harm", "我现在坐在桥上 想想事情 想明白了就下去 想不明白就算了"),
    ("self_harm", "谁知道哪能买炭 不是烧烤用 我把门缝窗缝都贴好了"),
    ("self_harm", "有没有那种吃了能一觉睡过去的药"),
    ("self_harm", "年夜饭别算我了 到时候我已经不在了 你们吃好"),
    ("unconscious", "我在国外 我妈一个人住 每晚都跟我视频 这两天视频都没接"),
]


def test_look_alikes_of_quiet_danger() -> None:
    # medicine that did not help, charcoal for a hotpot, a video call missed by a busy son
    assert not read_danger(normalise("感冒吃了好多药都不见好 有没有偏方")).alarm
    assert not read_danger(normalise("周末涮羊肉 谁家有炭借两块 铜锅的")).alarm
    assert not read_danger(normalise("儿子加班 昨晚视频没接 今早回我了")).alarm


AFTER_THE_EVENT = [
    ("past", "更正一下 刚才说5栋有人跳楼是错的 是工人从脚手架上摔下来 已经送医 人清醒"),
    ("past", "晚上那股浓烟是河对面厂里的 咱们小区没事 关好窗就行"),
    ("past", "Update: the lady who fainted in the lobby is at the hospital, conscious and talking"),
    ("past", "得 刚才冒烟那家是锅烧干了 开窗散了 没着"),
]


def test_an_update_that_is_not_over_stays_an_alarm() -> None:
    assert read_danger(normalise("找到的不是她 还得接着找 我妈有老年痴呆")).alarm
    assert read_danger(normalise("物业说火灭了 可是楼道又冒烟了 9栋"))
    assert read_danger(normalise("物业说火灭了 可是楼道又冒烟了 9栋")).alarm
    assert read_danger(normalise("我爸喘得上不来 制氧机停电了")).alarm


def test_a_live_alert_and_a_threat_told_second_hand() -> None:
    assert read_danger(normalise("请12栋住户注意 3楼老人摔倒被困屋内 消防正在破门 楼道请让开")).alarm
    assert read_danger(
        normalise("my daughter says a boy in her class is going to jump off the bridge tonight")
    ).alarm


def test_asking_whether_it_is_gas_is_not_saying_it_is_not() -> None:
    # "是不是漏气了" asks; only a plain "不是漏气" (a drain smell) stands the alarm down
    assert read_danger(normalise("厨房一股臭鸡蛋味 是不是漏气了 我头有点晕")).alarm
    assert not read_danger(normalise("燃气公司来看过了 不是漏气 是下水道返味")).alarm
    assert not read_danger(normalise("老李那是面瘫 不是中风 针灸几次就好")).alarm


ROUND_36 = [
    ("fall", "装修工人从梯子上翻下来 胳膊骨头戳出来了 在3栋楼道"),
    ("fall", "小区门口有个骑车的 腿上露出骨头了 快来人"),
    ("self_harm", "舅舅喝多了在厨房拿刀要划自己 我们按不住"),
    ("self_harm", "my brother says he will cut himself tonight, he already did it once"),
    ("choking", "my toddler just swallowed a button battery from the remote"),
    ("other_medical", "快叫救护车 6栋门口有人倒着"),
    ("self_harm", "我今天就去死 谁都别拦我"),
    ("self_harm", "我撑不住了 今晚就解脱吧 谢谢这些年的照顾"),
    ("self_harm", "活着还有啥劲 老伴走了 孩子也不回来 安眠药我存了四十片"),
    ("self_harm", "钱都还清了 猫也送人了 我可以安心走了 大家别找我"),
    ("self_harm", "明天起你们就见不着我了 这样对谁都好"),
    ("self_harm", "伺候他十年了 我也累了 想带着他一起走了算了"),
    ("self_harm", "唔想活啦 真係好攰"),
    ("self_harm", "我怕是活不过今晚了 衣服都叠好了"),
    ("self_harm", "今天是我最后一天 谢谢你们"),
    ("self_harm", "什么都没意思 刀片就放在床头"),
    ("self_harm", "药我早就备好了 今晚就吃"),
    ("self_harm", "我跑了两家药房 安眠药买够了"),
    ("self_harm", "I'm done with everything, sorry mum"),
    ("self_harm", "对面五楼有人翻到防盗窗外面去了 坐在那一动不动"),
    ("self_harm", "腿疼得受不了 药我都拿出来了 一把吃了算了"),
    ("self_harm", "活着就是受罪 今晚从阳台下去得了"),
    ("unconscious", "我母亲一个人在家 打了一下午电话都没人接 5栋301"),
    ("unconscious", "前天放在刘奶奶门口的菜今天还原样放着 敲门没人应"),
    ("unconscious", "阿婆一个人住 电话打咗成朝都冇人听"),
]


def test_stocks_dreams_titles_and_fire_escapes_are_no_alarm() -> None:
    assert not read_danger(normalise("这两天股市着火了 满屏涨停")).alarm
    assert not read_danger(normalise("琴晚发梦困咗喺电梯入面 醒咗成身汗")).alarm
    assert not read_danger(normalise("昨晚《急诊室的故事》讲心梗 看得我一身汗")).alarm
    assert not read_danger(normalise("管理处话今日检查走火通道 唔好摆杂物")).alarm
    assert not read_danger(normalise("早上路滑 险险仔跋倒 好佳哉扶牢栏杆")).alarm
    assert read_danger(normalise("楼道里有股煤气味 越来越冲")).alarm  # "一股/有股" is no stock
    # a fraud warning and a first-aid rhyme keep their "马上" and "立即" in the notice
    assert read_danger(normalise("【反诈提醒】骗子说您家老人摔伤了要马上交钱 千万别转")).harmless == "notice"
    assert read_danger(normalise("中风口诀 一看脸歪 二看手软 立即送医")).harmless == "notice"
    assert not read_danger(normalise("楼下冒烟是烧烤摊 没着火 放心")).alarm
    # a screenshot said to be faked, a rescue reported finished
    assert read_danger(normalise("澄清一下 说6栋有人跳楼的截图是P的 大家别转")).harmless == "past"
    rescued = "物业通知 电梯困人已处理完毕 两位住户安全救出 无人员受伤"
    assert read_danger(normalise(rescued)).harmless == "past"
    # the same words typed in pinyin or English
    assert not read_danger(normalise("dian ti li de ren chu lai le mei shi le")).alarm
    assert not read_danger(normalise("the man who fell by the gate is ok now, thanks everyone")).alarm
    assert not read_danger(normalise("my portfolio is on fire today, up 6%")).alarm
    assert not read_danger(normalise("man u are bleeding goals again")).alarm
    assert not read_danger(normalise("dad's stroke recovery is going well, talking clearly now")).alarm
    assert read_danger(normalise("lol thought it was the toaster but no, actual flames in 7-601")).alarm
    assert not read_danger(normalise("fire drill at 10, not a real fire")).alarm


def test_english_figures_and_second_thoughts_are_no_alarm() -> None:
    assert not read_danger(normalise("we're bleeding money on this kitchen refit")).alarm
    assert not read_danger(normalise("did anyone else hear the fire engines last night?")).alarm
    assert not read_danger(normalise("smoke by the bins! nvm it's the BBQ stall again")).alarm
    switched = "quick question about parking - never mind that, my dad just collapsed in 3B"
    assert read_danger(normalise(switched)).alarm


def test_dreams_first_aid_lessons_and_false_scares_are_no_alarm() -> None:
    assert read_danger(normalise("昨晚梦到隔壁着火了 吓得我一宿没睡好")).harmless == "hypothetical"
    assert read_danger(normalise("心梗急救：让病人坐下别动 马上打120 大家学一下")).harmless == "notice"
    assert read_danger(normalise("抽搐的时候往嘴里塞筷子是误区 正确做法是侧躺")).harmless == "notice"
    assert not read_danger(normalise("以为老王走丢了 原来去他儿子家了 自己吓自己")).alarm
    assert not read_danger(normalise("阿爷头先晕咗一阵 依家好返晒")).alarm
    # the device named before the word, across a change of script
    assert not read_danger(normalise("宿舍wifi又抽风了")).alarm
    assert not read_danger(normalise("年终跳楼清仓 棉鞋一律49")).alarm


def test_farewells_for_a_move_pets_and_screens_are_no_alarm() -> None:
    # moving to a daughter's, an almost that did not happen, a TV plot, a cat's tumble, a search online
    assert read_danger(normalise("下周搬去女儿那边住了 谢谢这些年大家照顾 大家保重")).harmless == "moving"
    assert read_danger(normalise("搬家前把药和绳子都准备好了 大家保重")).alarm  # the means named: no move
    assert not read_danger(normalise("去年我差点就想不开了 现在好多了 谢谢大家")).alarm
    assert not read_danger(normalise("昨晚那部短剧 女主吞了安眠药 太狗血")).alarm
    assert not read_danger(normalise("我家狗从沙发上摔下来 一点事没有")).alarm
    assert read_danger(normalise("我妈去喂猫 摔倒了 起不来")).alarm
    assert not read_danger(normalise("老人的医保卡补办流程 网上找不到 谁知道")).alarm


def test_hyperbole_and_sales_are_no_goodbye() -> None:
    # frustration said with a stock idiom, a price that "jumps off a building", a cat on the sill
    assert not read_danger(normalise("这破打印机又卡纸 想死的心都有了 谁会修")).alarm
    assert not read_danger(normalise("年底清仓 亏本跳楼 羽绒服一律99")).alarm
    assert not read_danger(normalise("我家猫从窗台跳到邻居阳台上去了 谁帮忙叫一下")).alarm


@pytest.mark.parametrize(
    ("kind", "text"),
    WORSE_THAN_A_SCRATCH + TOLD_WITHOUT_A_STOCK_WORD + GOODBYES_AND_BROKEN_HABITS + SAID_QUIETLY + ROUND_36,
)
def test_signs_read_in_later_rounds(kind: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.alarm, (text, reading)
    assert reading.kind == kind


@pytest.mark.parametrize(("reason", "text"), SETTLED_OR_ON_SCREEN + AFTER_THE_EVENT)
def test_settled_corrected_or_on_screen(reason: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert not reading.alarm, (text, reading)
    assert reading.harmless == reason


def test_dialect_all_clears_official_tips_and_screens_are_no_alarm() -> None:
    # a thread's last word in Xiang or Wu, a health bureau's tip, a soap opera, pressure at work
    assert not read_danger(normalise("已经送到中南医院急诊科哒 大家放心")).alarm
    assert not read_danger(normalise("阿爷讲是小中风 医生看过了 没事体了")).alarm
    assert not read_danger(normalise("【转发】区卫健委提醒：谨防煤气中毒，头晕恶心请立即开窗并拨打120")).alarm
    assert not read_danger(normalise("昨晚八点档里那个阿公昏倒 演得好真")).alarm
    assert not read_danger(normalise("项目压得我喘不上气 周末还要加班")).alarm
    assert not read_danger(normalise("社区请消防员来示范怎么用灭火器 油锅着火别泼水")).alarm
    assert not read_danger(normalise("张伯走得太突然了 大家保重身体")).alarm
    # English: moved to tears, a scene in a film, an all-clear, a stroke years ago
    assert not read_danger(normalise("choked up watching my son's graduation video")).alarm
    assert not read_danger(normalise("that film where miners are trapped underground, what an episode")).alarm
    assert not read_danger(normalise("the man who fainted by the lift is ok, just skipped lunch")).alarm
    assert not read_danger(normalise("grandma had a stroke three years ago, today she climbed a hill")).alarm
    # the same words where the danger is now stay an alarm
    assert read_danger(normalise("燃气灶火灭了 一屋子煤气味 阿婆叫不醒")).alarm
    assert read_danger(normalise("he's choking on a grape and can't breathe")).alarm
    assert read_danger(normalise("狗一直叫 我从窗户看见阿伯倒在地上不动")).alarm


def test_calling_the_police_is_urgent_only_when_it_is_being_done() -> None:
    # "don't call", "had to wait 24 hours to call?", "the bracelet calls by itself": no sign of now
    assert not read_danger(normalise("要是老人走失了 到底是先报警还是先在小区找")).alarm
    assert not read_danger(normalise("听说人走失了要等二十四小时才能报警 真的假的")).alarm
    assert not read_danger(normalise("防走失手环 老人摔倒自动报警 团购价129")).alarm
    assert read_danger(normalise("我爸走丢了 他有老年痴呆 我已经报警了 大家帮忙看看")).alarm
    assert read_danger(normalise("要是再没人开门我就报警了 奶奶在里面喊救命")).alarm


def test_similes_games_and_the_family_a_fire_struck_are_no_alarm() -> None:
    assert not read_danger(normalise("这暖气烧得屋里跟着火似的 开了窗还热")).alarm
    assert not read_danger(normalise("晚霞红得跟起火了一样 快去阳台看")).alarm
    assert not read_danger(normalise("3栋着火那户这两天住哪 我有多的棉被")).alarm
    assert not read_danger(normalise("儿子在游戏里被困在迷宫 打了一晚上没过关")).alarm
    assert not read_danger(normalise("楼里刚才喊救命的是我家电视 声音开太大了")).alarm
    assert not read_danger(normalise("隔壁的八哥学人喊救命 一早上喊了几十遍")).alarm
    # a fire told with a simile nearby is still a fire; a cry for help that is not explained is a cry
    assert read_danger(normalise("厨房着火了 烟大得跟雾一样 快来人")).alarm
    assert read_danger(normalise("救命 5栋有人喊救命 声音是从三楼传出来的")).alarm


def test_if_you_can_is_a_courtesy_not_a_hypothetical() -> None:
    assert read_danger(normalise("the car park is flooding fast, move your cars out if you can")).alarm
    assert not read_danger(normalise("if the car park ever floods, where do we move the cars?")).alarm


def test_english_updates_classes_and_sales_are_no_alarm() -> None:
    assert not read_danger(normalise("ambulance came, they're taking her to 人民医院")).alarm
    assert not read_danger(normalise("grandpa slipped by the bins, just bruised")).alarm
    assert not read_danger(normalise("my toddler choked on a grape but coughed it out, all fine")).alarm
    assert not read_danger(normalise("first-aid course on Sunday: CPR, choking, burns")).alarm
    assert not read_danger(normalise("FIRE SALE, moving out Friday, everything half price")).alarm
    assert not read_danger(normalise("那个烫伤的小朋友到医院了 医生说不严重")).alarm
    assert read_danger(normalise("ambulance still not here and he's stopped breathing")).alarm


def test_venting_that_moves_on_and_figures_of_shock_are_no_alarm() -> None:
    # the day goes on after the words; "might as well jump" is no moving on
    assert not read_danger(normalise("这破报表改了八遍 不想活了 算了 明天还得交")).alarm
    assert not read_danger(normalise("房租又涨了 想死 算啦 先去吃饭")).alarm
    assert read_danger(normalise("活着没意思 今晚就从楼顶跳下去算了")).alarm
    assert read_danger(normalise("想不明白就 算了 药都准备好了")).alarm
    assert not read_danger(normalise("楼下冒烟吓一跳下去一看是烧烤")).alarm
    assert not read_danger(normalise("heart attack level shock: the water bill is 900")).alarm
    assert read_danger(normalise("my dad is having a heart attack, he's grey and sweating")).alarm


def test_a_question_about_anyone_who_falls_is_a_how_to_question() -> None:
    assert not read_danger(normalise("请问 老人摔倒了能不能马上扶起来 看到说法不一样")).alarm
    assert not read_danger(normalise("孩子要是噎住了 到底是拍背还是马上打120")).alarm
    # told of someone, here, or now: an alarm whatever it asks
    assert read_danger(normalise("我爸摔倒了 能不能马上扶起来 他说腰疼")).alarm
    assert read_danger(normalise("老人摔倒了 能不能马上扶 就在3栋门口")).alarm


def test_stuck_in_a_meeting_or_a_jam_is_no_alarm() -> None:
    assert not read_danger(normalise("被困在年终总结会里了 三个小时")).alarm
    assert not read_danger(normalise("困在高架上堵了一个钟头 晚饭别等我")).alarm
    assert read_danger(normalise("被困在开会那栋楼的电梯里了 快来人")).alarm


def test_chest_pain_in_minnan_a_locked_bathroom_and_pills_swallowed() -> None:
    assert read_danger(normalise("阮老爸講胸坎足痛 冷汗直直流")).kind == "chest_pain"
    assert read_danger(normalise("我在厕所里 门锁坏了打不开 家里就我一个")).kind == "trapped"
    # pills swallowed are not over because the child still runs about; seen by a doctor, they are
    assert read_danger(normalise("孙女把我的安眠药当糖吃了三颗 现在看着还行 要紧吗")).alarm
    assert not read_danger(normalise("孙女误吃了一颗维生素 医生看过了说没事 现在还好")).alarm


def test_hospital_news_health_ads_and_fell_asleep_are_no_alarm() -> None:
    assert not read_danger(normalise("王伯跟车去市一院了 大夫说是脑梗 送得及时")).alarm
    assert not read_danger(normalise("每天一杯醋泡花生 降三高 防脑梗 一周见效 转给你在乎的人")).alarm
    assert not read_danger(normalise("面瘫跟中风是一回事吗 我同事嘴歪了在扎针")).alarm
    assert not read_danger(normalise("the baby finally fell asleep after the fireworks")).alarm
    assert not read_danger(normalise("mum is in hospital, doctor says a mild stroke, she's talking")).alarm
    # but a fall through ice, a sleep nobody can wake from, medicine that isn't working, stay alarms
    assert read_danger(normalise("a kid fell through the ice on the pond, bring a rope")).alarm
    assert read_danger(normalise("grandpa fell asleep after lunch and now I can't wake him up")).alarm
    assert read_danger(normalise("胸口疼得厉害 救心丸吃了不见效 满头冷汗")).alarm
    assert read_danger(normalise("楼道里躺着个人 叫他不应 不是咱们楼的")).alarm


def test_short_cries_and_short_questions() -> None:
    assert read_danger(normalise("jiuming 3栋")).alarm
    assert read_danger(normalise("阿公昏去矣 叫袂醒")).alarm
    assert read_danger(normalise("我爸心藏病犯了")).kind == "chest_pain"
    # a latecomer asking who or where, or what to put on a burn, raises no alarm of its own
    assert not read_danger(normalise("谁家着火了?")).alarm
    assert not read_danger(normalise("烫伤了抹啥药好")).alarm
    # a fit that stopped is not over while the person does not wake
    assert read_danger(normalise("刚才抽了一阵 现在不抽了 但是喊不醒")).alarm


def test_code_switched_figures_shows_and_sales_are_no_alarm() -> None:
    assert not read_danger(normalise("the lift broke again, so hot until I want to die lah")).alarm
    assert not read_danger(normalise("I could die of embarrassment, wrong group again")).alarm
    assert not read_danger(normalise("ambulance reached already, uncle is talking")).alarm
    assert not read_danger(normalise("昨晚那集韩剧女主角晕倒 我哭了")).alarm
    assert not read_danger(normalise("we did the escape room called Trapped, got out in 40 min")).alarm
    assert not read_danger(normalise("灭火毯+灭火器套装 团购价99 要的接龙")).alarm
    assert read_danger(normalise("I want to die. I have the pills here")).alarm


def test_a_latecomer_asking_what_happened_is_no_alarm() -> None:
    assert not read_danger(normalise("刚才谁噎着了?现在好了吗")).alarm
    assert not read_danger(normalise("刚停电那一下 有人被关在电梯里吗?")).alarm
    assert not read_danger(normalise("台阶上撒了盐 别再有人摔了")).alarm
    assert read_danger(normalise("有人被关在电梯里了 在喊 快叫物业")).alarm


def test_more_english_figures_and_updates_are_no_alarm() -> None:
    assert not read_danger(normalise("my inbox is on fire, replies on Monday")).alarm
    assert not read_danger(normalise("new year sales, my wallet is bleeding")).alarm
    assert not read_danger(normalise("ten hours of gaming, my thumbs are bleeding (not really)")).alarm
    assert not read_danger(normalise("update on the leak in 5-201: plumber's done, water back on")).alarm
    assert not read_danger(normalise("明天回深圳上班了 下次过年再回来 大家保重")).alarm
    assert not read_danger(normalise("李伯送到医院了 在做支架 家属在")).alarm
    assert read_danger(normalise("大家保重 我不想再拖累谁了")).alarm


def test_a_hospital_department_and_a_doctor_arrived_are_no_alarm() -> None:
    assert not read_danger(normalise("瑞金的烧伤科挺好 去那边")).alarm
    assert not read_danger(normalise("she's at the stroke unit now, her son is with her")).alarm
    assert not read_danger(normalise("大夫到了 在看呢")).alarm
    assert read_danger(normalise("孩子手烫伤了 起了好大的泡 哪家医院有烧伤科")).alarm


def test_what_follows_a_danger_word_is_read_past_its_first_few_letters() -> None:
    # "heart attack material" and "heart attack on a plate" were read only six characters on
    assert not read_danger(normalise("my stocks crashed again, heart attack material")).alarm
    assert not read_danger(normalise("heart attack on a plate: fried chicken with gravy")).alarm
    assert read_danger(normalise("my husband is having a heart attack, chest pain and sweating")).alarm


def test_an_aftermath_told_after_the_word_is_read_in_full() -> None:
    assert not read_danger(normalise("老伴心梗放了支架 恢复得挺好")).alarm
    assert read_danger(normalise("他心梗了 放了支架也没用 现在胸口又疼 出冷汗")).alarm


def test_nerves_a_ride_to_hospital_and_a_see_you_next_week_are_no_alarm() -> None:
    assert not read_danger(normalise("明天面试 紧张得我快晕过去了")).alarm
    assert not read_danger(normalise("120拉去人民医院了 说是低血糖")).alarm
    assert not read_danger(normalise("阿婆送咗去伊院 醒返 冇大碍")).alarm
    assert not read_danger(normalise("我去女儿那住几天 下礼拜才回来 大家保重")).alarm
    assert not read_danger(normalise("下周见 大家保重身体")).alarm
    assert read_danger(normalise("大家保重 药我都攒够了 不会再回来了")).alarm


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("other_medical", "救救我"),
        ("other_medical", "谁来救救我爸!!"),
        ("other_medical", "快来 出事了 3楼"),
        ("other_medical", "help me please 5-302"),
        ("fire", "救火啊"),
        ("fall", "我摔了 602"),
    ],
)
def test_a_message_that_is_nothing_but_a_cry_is_an_alarm(kind: str, text: str) -> None:
    assert read_danger(normalise(text)).kind == kind
    assert read_danger(normalise(text)).alarm


def test_a_cry_with_more_around_it_is_read_for_what_it_is_about() -> None:
    assert not read_danger(normalise("谁来救救我的发际线 洗一次头掉一把")).alarm
    assert not read_danger(normalise("周末去闺女家救火 两个娃我一个人带")).alarm
    assert not read_danger(normalise("上次以为他出事了 原来睡着了")).alarm


def test_someone_without_breath_or_failing_is_an_alarm_a_tyre_is_not() -> None:
    assert read_danger(normalise("老爷子没气儿了")).kind == "unconscious"
    assert read_danger(normalise("快来 我妈不行了")).alarm
    assert not read_danger(normalise("自行车胎没气了 谁有打气筒")).alarm
    assert not read_danger(normalise("煤气罐没气了 明天再换")).alarm


def test_first_aid_questions_an_away_neighbour_and_a_cry_over_a_drain_are_no_alarm() -> None:
    assert read_danger(normalise("被开水烫了 抹牙膏管不管用")).harmless == "how-to"
    assert read_danger(normalise("发羊癫疯的时候要不要掐人中")).harmless == "how-to"
    assert not read_danger(normalise("菜放门口了 敲门没人应 估计是出门买菜了")).alarm
    assert read_danger(normalise("敲门没人应 她腿不好 不可能出门")).alarm
    assert not read_danger(normalise("热水器打不着火 煤气味倒是没有")).alarm
    assert not read_danger(normalise("楼下着火是没有的 别慌")).alarm  # fire denied, like gas
    assert not read_danger(normalise("起火倒没有 吓一跳")).alarm
    assert read_danger(normalise("楼下着火了 烟好大")).alarm
    assert read_danger(normalise("救命 马桶堵了 谁会通")).harmless == "repair"
    assert read_danger(normalise("救命 隔壁有人在喊帮帮我 门锁着 谁有开锁师傅电话")).alarm


def test_this_time_it_is_real_and_not_a_joke() -> None:
    assert read_danger(normalise("上周刚演练过 这次是真的 3号楼有烟")).alarm
    assert read_danger(normalise("别当我开玩笑 楼道里真的一股煤气味 比昨天还冲")).alarm
    assert read_danger(normalise("群里别刷表情了 二单元真着火了")).alarm
    assert not read_danger(normalise("消防通道又堵了 真着火了消防车怎么进来")).alarm


def test_rescued_weather_farewells_and_general_questions_are_no_alarm() -> None:
    assert read_danger(normalise("表弟想不开 人救回来了 我回去陪他几天")).harmless == "past"
    assert read_danger(normalise("明天又降温 大家保重")).harmless == "weather"
    assert read_danger(normalise("想问下 老人家跌低咗 应唔应该即刻扶佢起身")).harmless == "how-to"
    assert read_danger(normalise("消防车停在东门 是哪里着火了吗")).harmless == "how-to"
    assert read_danger(normalise("中风了是不是要先扎手指放血")).harmless == "how-to"
    assert read_danger(normalise("隔壁阳台烧起来了 我们这排要不要先跑")).alarm


def test_minnan_negation_advice_on_signs_and_hearsay_are_no_alarm() -> None:
    assert not read_danger(normalise("管理員講是後壁有人咧燒金紙 毋是火災啦")).alarm
    assert read_danger(normalise("電熱毯開一整晚 容易起火")).harmless == "notice"
    assert read_danger(normalise("嘴歪手麻说话不清就是中风的信号 别等")).harmless == "notice"
    assert read_danger(normalise("how is Mrs Lim? heard she fell on the stairs on Monday")).harmless == "news"
    assert (
        read_danger(normalise("why does the ambulance always get stuck at our gate?")).harmless == "chronic"
    )
    # the same words in a real alarm
    assert read_danger(normalise("阿伯燒金紙 火燒著伊的褲 伊一直哀")).alarm
    assert read_danger(normalise("an old man is down on the ice, he says he heard his hip crack")).alarm


def test_idioms_a_stove_a_card_a_busy_parent_and_a_fear_are_no_alarm() -> None:
    assert not read_danger(normalise("火烧眉毛了 明早的飞机 护照落在老房子里")).alarm
    assert not read_danger(normalise("煤气罐快没气了 火苗越来越小 谁家有多的罐子")).alarm
    assert not read_danger(normalise("她医保卡在家里 谁帮忙去拿一下")).alarm
    assert not read_danger(normalise("俺在车间出不去 谁能帮俺接下孩子")).alarm
    assert not read_danger(normalise("空调外机支架松了 怕掉下去砸人 谁有工具")).alarm
    assert not read_danger(normalise("马桶冲水按钮掉进水箱里了 谁会修")).alarm
    # the same words in a real alarm
    assert read_danger(normalise("屋里一股煤气味 灶都关了 还是臭")).alarm
    assert read_danger(normalise("他在浴室出不来 已经关了两个多小时 有高血压")).alarm


def test_health_tips_passing_spells_window_cleaners_and_smog_are_no_alarm() -> None:
    assert (
        read_danger(normalise("【转发】冬季一氧化碳中毒高发 如出现头痛恶心请立即离开室内")).harmless
        == "notice"
    )
    assert not read_danger(normalise("猛一站起来眼前一黑 扶着墙缓了几秒就好了")).alarm
    assert not read_danger(normalise("对面楼外墙上吊着个人 别怕 是蜘蛛人在擦玻璃")).alarm
    assert not read_danger(normalise("老头每天早上在阳台上吊嗓子")).alarm
    assert read_danger(normalise("这两天空气好差 PM2.5破百 大家保重")).harmless == "weather"
    # a chronic illness that is worse tonight, and a load slipping over people, stay alarms
    assert read_danger(normalise("我婆婆喘不上气 嘴唇发紫 她说老毛病了 喷了药还是不行")).alarm
    assert read_danger(normalise("塔吊上吊着的钢筋半空散开了 往下滑 底下是人行道")).alarm


def test_offers_to_whoever_needs_tv_hearsay_and_first_aid_basics_are_no_alarm() -> None:
    assert not read_danger(normalise("我是退休电工 谁家插座冒火花了 吱一声 免费上门看")).alarm
    assert not read_danger(normalise("有冇人執到一串鎖匙 喺公園附近跌咗")).alarm
    assert not read_danger(normalise("电视里那个老太太摔倒了没人扶 看得我心慌")).alarm
    assert not read_danger(normalise("听人说五楼老王在家摔了 不知道真的假的")).alarm
    assert not read_danger(normalise("楼道里一股焦味 下去看了 是一楼在烤红薯")).alarm
    assert read_danger(normalise("被开水烫了第一时间是冲冷水还是抹牙膏")).harmless == "how-to"
    assert read_danger(normalise("请问老人噎住了 从背后抱住往上顶 手放哪里")).harmless == "how-to"
    assert read_danger(normalise("他吃了很多安眠药 送医院洗胃了 还有意识")).harmless == "past"
    # a fire on a person is no barbecue smoke, whoever sells sweet potatoes
    assert read_danger(normalise("卖烤红薯的大爷炉子倒了 裤腿烧着了 拍不灭")).alarm


def test_blisters_are_a_burn_ointment_dentures_and_a_cpap_mask_are_not() -> None:
    assert read_danger(normalise("滾水淋落阿媽隻腳度 起晒水泡 佢痛到喊")).kind == "burn"
    assert read_danger(normalise("阿伯被炭火燙到整隻手臂 起水泡 有人有燙傷藥嗎")).alarm
    assert not read_danger(normalise("手背溅了点开水 不起泡 谁家有烫伤膏借我抹点")).alarm
    assert not read_danger(normalise("我妈的假牙不见了 谁在食堂帮问一下")).alarm
    assert not read_danger(normalise("我爸的CPAP呼吸机面罩老漏气 谁懂这个")).alarm
    assert not read_danger(normalise("老人滑了一跤 自己爬起来了 走路正常")).alarm
    assert not read_danger(normalise("刚才差点从凳子上栽下来 被我劝下来了")).alarm
    assert not read_danger(normalise("the washing machine is leaking (not a flood, just a puddle)")).alarm
    assert read_danger(normalise("小腿骨头好像戳出来了 一滩血 他还想自己站起来")).alarm


def test_a_sore_jaw_dentures_a_watch_in_water_and_queuing_are_no_alarm() -> None:
    assert not read_danger(normalise("牙疼了一晚上 半边脸都肿了 谁明天陪我去口腔医院")).alarm
    assert not read_danger(normalise("我阿爸副假牙跌咗落洗手盆 边个有长嘴钳")).alarm
    assert not read_danger(normalise("孙子的电话手表进水了 屏幕起雾")).alarm
    assert not read_danger(normalise("阿妈嘅轮椅个辘漏气 推唔郁")).alarm
    assert not read_danger(
        normalise("mum needs someone to queue at the clinic, she can't stand that long")
    ).alarm
    assert not read_danger(normalise("心梗都要犯了 暖气不热 谁懂暖气的帮忙看看")).alarm
    assert not read_danger(normalise("下午电话都没接 不过大概是在公园下棋 手机放家里了")).alarm
    # still alarms
    assert read_danger(normalise("she fell in the kitchen and can't stand")).alarm
    assert read_danger(normalise("地下车库进水了 水已经没过轮胎 还有人在下面")).alarm


def test_cannot_walk_now_is_no_recovery_and_a_question_while_it_smokes_is_no_how_to() -> None:
    # "现在说腿不能动" once read as "现在…能" (better now)
    assert read_danger(normalise("我爸刚才摔了一下 现在说腿不能动 是不是要叫车")).alarm
    assert read_danger(normalise("我家电视后面冒烟了 有点火光 我拿毛巾捂着呢 还要怎么弄")).alarm
    assert not read_danger(normalise("我爸上周摔了一下 现在能自己走了")).alarm


def test_an_empty_lift_a_locked_out_neighbour_chilli_and_a_normal_smell_are_no_alarm() -> None:
    assert not read_danger(normalise("电梯卡在五楼半拉 门开一半 里头没人 谁有维保电话")).alarm
    assert not read_danger(normalise("救命 我被锁在门外了 谁有开锁的电话")).alarm
    assert not read_danger(normalise("麻辣锅超辣 嘴巴烧起来了")).alarm
    assert not read_danger(normalise("燃气立管改造 施工现场有燃气味属正常")).alarm
    assert not read_danger(normalise("我阿妈头先话心口有啲闷 食完药 而家冇事")).alarm
    assert read_danger(normalise("电梯卡在五楼 里头有个老人 喊不应")).alarm


def test_ads_debunked_forwards_general_questions_and_animals_are_no_alarm() -> None:
    assert not read_danger(normalise("专业开锁换锁芯 24小时上门 反锁被困也能开")).alarm
    assert not read_danger(normalise("天台那边人要跳的消息是假的 是有人在拍短视频")).alarm
    assert read_danger(normalise("问一下 如果老人摔倒了是应该马上扶起来还是先别动他")).harmless == "how-to"
    assert read_danger(normalise("请教大家 发现有人叫不醒 是先打120还是先做心肺复苏")).harmless == "how-to"
    assert not read_danger(normalise("楼下那只流浪狗躺着 叫它也不理")).alarm
    assert not read_danger(normalise("我家老头又找不到老花镜了 哈哈")).alarm
    assert not read_danger(normalise("今朝买小菜排队排得我昏过去了")).alarm
    assert not read_danger(normalise("俺说不想活了那是气话 俺好着呢 别打电话了")).alarm
    # the same words in real alarms
    assert read_danger(normalise("我以为是小事 孙子把开水壶碰翻了 整个胳膊都红了起泡了")).alarm
    assert read_danger(normalise("她昨天说活着没意思 我当气话没理 刚才发来天台栏杆外面的照片")).alarm


def test_checking_whether_someone_breathes_is_no_alarm_of_its_own() -> None:
    assert not read_danger(normalise("我在路上 先看他有没有呼吸")).alarm
    assert read_danger(normalise("我爸没有呼吸了 快来人")).alarm


def test_sound_sleepers_similes_and_a_call_home_after_a_dream_are_no_alarm() -> None:
    assert not read_danger(normalise("阿公睡到打呼 叫他吃饭都叫不醒 后来闻到卤肉香自己就醒了 笑死")).alarm
    assert not read_danger(normalise("手机屏幕黑了 怎么按都没反应 跟晕过去了一样")).alarm
    assert not read_danger(normalise("仙人掌倒了 砸在我脚上")).alarm
    assert read_danger(normalise("昨晚梦到我妈摔倒了 吓醒了赶紧打电话过去")).harmless == "hypothetical"
    assert read_danger(normalise("电视剧里那个老头心梗倒地 看得我赶紧给我爸打了个电话")).harmless == "news"
    assert not read_danger(normalise("这个月加班加到吐血")).alarm
    # snoring that sounds wrong in someone who can't be woken is an alarm
    assert read_danger(normalise("我妈在沙发上叫不醒了 打呼噜的声音很怪 口水一直往外流")).alarm
    assert read_danger(normalise("快来人 他倒了 赶紧打120")).alarm


def test_a_heater_that_wont_light_crowds_and_windy_warnings_are_no_alarm() -> None:
    assert not read_danger(normalise("卫生间热水器打不着火 洗不成澡 有人会修吗")).alarm
    assert not read_danger(normalise("人挤人 挤得透不过气 赶紧逃回来了")).alarm
    assert not read_danger(normalise("我要被他气晕过去了")).alarm
    assert not read_danger(normalise("大风降温 阳台上花盆都拿屋里去 别刮下去砸着人")).alarm
    assert not read_danger(normalise("放假未返乡 有细路要补英文嘅可以搵我")).alarm
    # still alarms
    assert read_danger(normalise("我妈一口气吃了大半瓶安眠药 现在叫她迷迷糊糊的")).alarm
    assert read_danger(normalise("厨房着火了 灶上的油锅烧起来了")).alarm


def test_only_if_safe_is_a_courtesy_not_a_hypothetical() -> None:
    text = "e-bike battery on fire in the 车棚, flames getting big, 119 called, move your bikes only if safe"
    assert read_danger(normalise(text)).alarm


@pytest.mark.parametrize(
    "text", ["1" * 29 + "x", "一二三四五六七八九十" * 2 + "x", "138123456789-1234-5678-12345x"]
)
def test_a_long_run_of_digits_is_refused_at_once_not_split_every_way(text: str) -> None:
    # the cry pattern once tried every split of the digits: 29 of them took five minutes to refuse
    assert not read_danger(normalise(text)).alarm


def test_english_figures_of_fire_breakers_and_stairs_are_no_alarm() -> None:
    assert not read_danger(normalise("my group chat is on fire tonight, 300 messages about the lift")).alarm
    assert not read_danger(normalise("Auntie Mei was on fire at mahjong tonight, won every round")).alarm
    assert not read_danger(
        normalise("the breaker tripped and the fridge is off, anyone good with fuse boxes?")
    ).alarm
    assert not read_danger(normalise("the alarm test is done, the fire alarms in block 2 all passed")).alarm
    assert not read_danger(
        normalise("grandpa can't get up the steps with his walker, could someone lend an arm")
    ).alarm
    # the same words when something burns or someone is down stay an alarm
    assert read_danger(normalise("the curtains are on fire in 5-1203, we're out on the landing")).alarm
    assert read_danger(normalise("she's on fire, her sleeve caught on the gas ring, 8F")).alarm
    assert read_danger(normalise("mum tripped and can't get up, she's lying by the bed")).alarm


def test_questions_about_what_happened_scam_warnings_and_delight_are_no_alarm() -> None:
    assert not read_danger(normalise("fire engines outside gate 2 just now, hope everyone's ok?")).alarm
    assert not read_danger(
        normalise("scam texts again: 'your father had a stroke, pay the deposit here'")
    ).alarm
    assert not read_danger(normalise("救命 楼下新开的烤鸭店太好吃了 排队都值")).alarm
    assert read_danger(normalise("救命 我妈倒在厨房了 叫不应")).alarm


def test_a_ward_by_name_and_an_inlet_valve_are_no_danger() -> None:
    assert not read_danger(normalise("已经上车了 直接拉去二院卒中中心")).alarm
    assert not read_danger(normalise("先把洗衣机进水的那个阀拧上 我五分钟到")).alarm
    assert read_danger(normalise("楼上进水了 顺着灯往下淌")).alarm


def test_someone_in_hospital_or_home_to_mend_is_no_alarm_unless_it_starts_again() -> None:
    assert not read_danger(normalise("老伴脑梗住院了 我天天陪床 家里的花没人浇")).alarm
    assert not read_danger(normalise("三楼孙伯还在ICU 家属说先别去看")).alarm
    assert not read_danger(normalise("手腕骨折打了石膏 回家养着呢 谢谢大家惦记")).alarm
    # discharged only days ago and down again, a pipe fixed yesterday bursting again: now
    assert read_danger(normalise("出院才两天 今早又摔了 趴在床边起不来")).alarm
    assert read_danger(normalise("昨天刚修的暖气管 今天又喷了 地上全是水")).alarm
    assert read_danger(normalise("the pipe they fixed is leaking again, water everywhere in the hall")).alarm
    assert read_danger(normalise("外公吃着饭一头栽到桌上 怎么叫都不应")).kind in ("fall", "unconscious")


def test_quiet_danger_told_politely_is_still_danger() -> None:
    # an all-clear followed at once by what is wrong is no all-clear
    assert read_danger(normalise("摔了一跤 不碍事 就是腿动不了 你们先忙")).alarm
    assert read_danger(normalise("老伴喘得厉害 还说坐一会儿就好了")).alarm
    # breathlessness told by speech, a face told in English, a goodbye that hands over a pet
    assert read_danger(normalise("我妈一句话要分三口气说 说不了整句话")).kind == "breathing"
    assert (
        read_danger(normalise("grandpa's face has dropped on the left and he can't hold his cup")).kind
        == "stroke"
    )
    assert read_danger(normalise("以后不用再管我了 我家猫拜托你们了")).kind == "self_harm"
    assert read_danger(
        normalise("returning the ladder to 5B. I won't be around after tonight, thank you all")
    ).alarm
    assert read_danger(normalise("对门阿婆两天没出门 按门铃半天一点动静没有")).alarm
    # the same words, harmless
    assert not read_danger(normalise("busy week, won't be around the group much till Friday")).alarm


def test_a_cry_among_other_words_is_a_sigh_unless_it_is_all_the_message_says() -> None:
    assert not read_danger(normalise("救命 这个月的水费怎么比上个月多了一百")).alarm
    assert not read_danger(normalise("SOS my toddler just discovered the word 'why' and won't stop")).alarm
    assert read_danger(normalise("救命啊 快来人")).alarm
    assert read_danger(normalise("救命 有人在楼道里喊救命 声音越来越小")).alarm


def test_a_fall_behind_a_routine_ask_is_the_reason_for_it() -> None:
    assert not read_danger(normalise("我妈上个月摔了 现在出不了门 谁会剪头发 上门帮她理个发")).alarm
    assert not read_danger(
        normalise("my dad slipped on the ice last week, could we borrow a wheelchair for a few days")
    ).alarm
    # a wheelchair named in the danger itself is no routine ask
    assert read_danger(normalise("一转身 轮椅和我爸都不见了 他有老年痴呆")).alarm


def test_doorbells_unanswered_calls_and_smells_told_late_are_danger() -> None:
    assert read_danger(normalise("对门奶奶家按门铃没人 灯一直亮着 平时她不出门的 有点担心")).alarm
    assert read_danger(normalise("我妈一天电话都没人接 她一个人住 谁能上去看看")).alarm
    assert read_danger(normalise("顺便问下物业几点下班 还有我们三楼楼道那味道好像是煤气")).kind == "gas"
    assert read_danger(normalise("孙子饮咗几啖漂白水 而家喊肚痛")).kind == "poisoning"
    assert read_danger(normalise("我爸说话舌头大 跟昨天完全不一样 嘴也有点歪")).alarm
    # the doorbell of someone who is away, no answer from a parcel locker
    assert not read_danger(normalise("按门铃没人 快递我放门口了")).alarm


def test_smoke_coming_up_a_fall_in_the_snow_and_breath_failing_with_the_machine() -> None:
    assert read_danger(normalise("烟冒上来了 五楼的老太太腿不好 谁去扶她下来")).kind == "fire"
    assert read_danger(normalise("老张趴在雪地里 叫他只哼哼")).alarm
    assert read_danger(normalise("停电了 我爸的呼吸机停了 他开始喘")).kind == "breathing"
    assert not read_danger(normalise("跑完步开始喘气 歇会儿就好")).alarm


FEVERS_SPARKS_AND_ANIMALS = [
    "闺女后半夜又烧起来了 39度1 谁家有美林借一点",
    "厨房开关昨晚冒了一下火花 闸拉了 现在不敢开 谁会电工",
    "阳台灯座刚才冒了个火花 现在不亮了 也没味 明天谁有空看看",
    "老爸瘫在床上好几年了 一个人翻不动他 谁能来搭把手",
    "小龟冬眠了 缩在壳里一动不动 是不是要换个暖和地方",
    "被困在公司盘点 今晚回不去 谁帮我收下快递",
    "trapped in a Zoom call till six, can anyone grab my parcel from the locker",
]
STILL_SPARKING_OR_SOMEONE_DOWN = [
    ("fire", "插座冒火花 拉了闸还在噼里啪啦响 5栋302"),
    ("fire", "孩子房间的插线板烧起来了 有火苗 快来人"),
    ("fall", "我家猫把我奶奶绊倒了 奶奶趴在地上不动 叫她不应"),
    ("unconscious", "狗一直在叫 我爸躺在沙发上一动不动"),
    ("trapped", "我妈被困在电梯里 停在七楼和八楼中间"),
]


@pytest.mark.parametrize("text", FEVERS_SPARKS_AND_ANIMALS)
def test_a_fever_a_spark_gone_by_a_pet_or_a_busy_day_is_no_alarm(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


@pytest.mark.parametrize(("kind", "text"), STILL_SPARKING_OR_SOMEONE_DOWN)
def test_sparks_still_flying_and_a_person_down_beside_a_pet_stay_alarms(kind: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.alarm and reading.kind == kind


def test_english_figures_of_choking_falling_fire_and_missing_are_no_alarm() -> None:
    assert not read_danger(normalise("choked on my coffee reading the new bin rota lol")).alarm
    assert not read_danger(normalise("fell down the YouTube hole again, it's 2am")).alarm
    assert not read_danger(normalise("the fire in my belly after that curry, wow")).alarm
    assert not read_danger(normalise("Grandpa keeps missing his tai chi class, anyone going Thursday?")).alarm
    assert (
        read_danger(normalise("the boy from 5-1 who went missing this morning is home safe")).harmless
        == "past"
    )
    assert read_danger(normalise("楼上水管爆了 阀已关 地上在拖")).harmless == "past"
    # the same words about a person now stay alarms
    assert read_danger(normalise("grandma choked on a grape and can't breathe")).kind == "choking"
    assert read_danger(normalise("my mum with dementia is missing since noon")).kind == "missing"


def test_mahjong_figures_a_saved_tip_and_news_that_ends_well_are_no_alarm() -> None:
    assert not read_danger(normalise("昨晚麻将输得心口都痛了 今天还去")).alarm
    assert not read_danger(normalise("斗地主输到吐血 不玩了")).alarm
    assert read_danger(normalise("心肺复苏的步骤 大家收藏一下")).harmless == "notice"
    assert read_danger(normalise("孙仔抽筋抽咗一阵 现在醒了 医生睇过")).harmless == "past"
    assert read_danger(normalise("陈伯喺医院 话系中风 救返 多谢大家关心")).harmless == "past"
    assert not read_danger(normalise("卫生间水管漏水 一滴一滴的 谁会修")).alarm
    # a chest that hurts, a fit that goes on: alarms
    assert read_danger(normalise("我爸胸口痛得直冒汗 嘴唇发白")).kind == "chest_pain"
    assert read_danger(normalise("我妈抽了五分钟了还在抽 叫不醒")).alarm


def test_a_well_wish_a_skill_asked_for_and_a_valve_shut_are_no_alarm() -> None:
    assert not read_danger(normalise("这周降温又下雪 大家保重身体")).alarm
    assert not read_danger(normalise("救命 这道物理题做了一晚上 有没有懂的")).alarm
    assert not read_danger(normalise("手机上的医保码我也讲不清 谁来教教我妈")).alarm
    assert read_danger(normalise("燃气公司来了 是胶管老化漏气 关了总阀 开窗了")).harmless == "past"
    # a goodbye, a cry with someone calling, slurred speech told of another: alarms
    assert read_danger(normalise("我先走了 大家保重 药都吃了")).alarm
    assert read_danger(normalise("我爸突然讲不清话 嘴也歪了")).kind == "stroke"


def test_someone_come_round_taken_away_or_stitched_and_first_aid_asked_are_no_alarm() -> None:
    assert (
        read_danger(normalise("she came round on the sofa, ambulance took her to check")).harmless == "past"
    )
    assert read_danger(normalise("the fit stopped after a minute, he's sleepy now")).harmless == "past"
    assert read_danger(normalise("going to hospital for stitches, bleeding stopped")).harmless == "past"
    assert not read_danger(normalise("what do you do if someone is choking and can't cough?")).alarm
    assert read_danger(normalise("烫伤的话要不要冲冷水 冲多久")).harmless == "how-to"
    assert read_danger(normalise("煤气中毒第一步该干啥 考试题")).harmless == "how-to"
    # still going: alarms
    assert read_danger(normalise("he hasn't come round, still not breathing properly, 5-203")).alarm
    assert read_danger(normalise("我妈手脚抽搐停不下来 第一次这样 怎么办")).alarm


def test_an_all_clear_with_a_but_and_a_fire_beside_a_fever_stay_alarms() -> None:
    assert read_danger(normalise("客厅窗帘烧起来了 孩子还在发烧 睡在里屋")).kind == "fire"
    assert read_danger(normalise("我爸晕倒了 现在醒了 但是半边身子动不了")).alarm
    assert read_danger(normalise("she came round but is still not breathing right, 3-1102")).alarm


def test_missing_you_cleaning_windows_and_someone_back_by_himself_are_no_alarm() -> None:
    assert not read_danger(normalise("想死你们了 出差半个月今天回来")).alarm
    assert not read_danger(normalise("我腿脚不好 不敢站窗台擦玻璃 谁能帮忙擦一下")).alarm
    assert read_danger(normalise("老爷子下午找不着了 后来自己回来了 在公园下棋")).harmless == "past"
    assert read_danger(normalise("对面楼有人站在窗台上 哭着说不想活了")).kind == "self_harm"


def test_slang_fire_a_full_stomach_and_a_knock_not_heard_are_no_alarm() -> None:
    assert not read_danger(normalise("the dumpling stall by gate 3 is fire, go early")).alarm
    assert read_danger(normalise("there is fire on the 12th floor balcony!!")).kind == "fire"
    assert not read_danger(normalise("ate so much at 团年饭, so full I can't breathe lol")).alarm
    assert not read_danger(normalise("my old TV is bleeding colours again, any repair guy?")).alarm
    assert read_danger(normalise("what's the ambulance number here, 120?")).harmless == "how-to"
    assert not read_danger(normalise("看到房租涨价 我直接心梗")).alarm
    assert not read_danger(normalise("饺子放门口了 敲门没人应 估计没听见 电视声挺大")).alarm


def test_old_stories_insurance_near_misses_and_settled_checks_are_no_alarm() -> None:
    assert not read_danger(normalise("我舅十几年前喝过农药 现在身体好着呢")).alarm
    assert not read_danger(normalise("那次电梯卡住 我在里面关了半小时 现在都走楼梯")).alarm
    assert not read_danger(normalise("老年意外险 摔伤烫伤都能赔 私聊")).alarm
    assert not read_danger(normalise("路口那块冰 好几个人差点摔了 物业撒点盐吧")).alarm
    assert not read_danger(normalise("下完雪楼道口贼滑了 大家慢点")).alarm
    assert not read_danger(normalise("刚才直播里有个人被困在山上 救援队到了")).alarm
    assert read_danger(normalise("楼道那股煤气味燃气公司来测过了 是下水道的味")).harmless == "past"
    assert (
        read_danger(normalise("he slipped in the lobby, we helped him up, nothing broken")).harmless == "past"
    )
    # a fall now, a burn now: alarms
    assert read_danger(normalise("我妈刚才在楼梯上滑倒了 起不来")).kind == "fall"
    assert read_danger(normalise("孩子被开水烫了 起了大泡")).kind == "burn"


def test_rat_poison_licked_and_an_old_mother_who_slipped_out_are_alarms() -> None:
    assert read_danger(normalise("小孙子舔了灭鼠药的袋子 嘴边发白")).kind == "poisoning"
    assert (
        read_danger(normalise("my 84 yr old father slipped out after lunch, he has dementia")).kind
        == "missing"
    )
    assert read_danger(normalise("elderly mum walked out an hour ago, gets lost easily")).kind == "missing"
    # a cat that walked out is no alarm
    assert not read_danger(normalise("our cat walked out when the door was open, orange tabby")).alarm


def test_shock_at_a_price_is_no_heart_attack_unless_the_body_gives_way() -> None:
    assert not read_danger(normalise("电费单来了 1300块 我当场心梗")).alarm
    assert not read_danger(normalise("saw the rent increase, nearly had a heart attack lol")).alarm
    assert read_danger(normalise("我爸打牌输了钱 突然胸口疼得厉害 脸色发白")).kind == "chest_pain"
    assert (
        read_danger(normalise("dad saw the bill and now has severe chest pain, sweating")).kind
        == "chest_pain"
    )


def test_there_is_fire_is_never_slang() -> None:
    assert read_danger(normalise("there is fire!! 5-302 help")).kind == "fire"
    assert read_danger(normalise("help there was fire, smoke everywhere")).kind == "fire"


@pytest.mark.parametrize(
    "text",
    [
        "我家那口子剁骨头把手剁了 血一股一股往外冒 毛巾都湿透了",
        "孙女摔在台阶上 嘴里血一直涌 止弗住",
        "老伴吃着抗凝药 鼻血流了一个钟头了 堵都堵不住",
        "刚才他咳出好几口血 鲜红的",
        "my uncle sliced his palm on a tile, blood won't stop, 5-2-301",
        "she's been bleeding for 30 minutes now and it keeps coming",
        "手 被 电 锯 割 了 血 止 不 住",
    ],
)
def test_blood_told_by_how_it_keeps_coming(text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.kind == "bleeding" and reading.alarm


@pytest.mark.parametrize(
    "text",
    [
        "爸 又 摔 了 起 不 来 快",
        "Ma'am fall down in the bathroom, she cannot stand up, please come 7-1-502",
        "Dad's watch just sent a 'hard fall detected' alert and he isn't picking up",
    ],
)
def test_a_fall_typed_one_character_at_a_time_or_in_plain_english(text: str) -> None:
    assert read_danger(normalise(text)).alarm


def test_blood_that_stopped_a_milk_tooth_and_a_drama_are_no_alarm() -> None:
    assert not read_danger(normalise("切到手了 血飙了一下 按了一会儿就止住了 接着炒菜")).alarm
    assert not read_danger(normalise("孙子换牙 咬苹果掉了一颗 满嘴血 还乐呢")).alarm
    assert not read_danger(normalise("剧里那个男的手腕割了 血流一地 吓得我赶紧换台")).alarm
    assert not read_danger(normalise("小时候我老流鼻血 我妈让我举手")).alarm
    assert not read_danger(
        normalise("She can't stand so long in the queue, could someone wait for her?")
    ).alarm
    assert not read_danger(normalise("Mum had a fall last month and is doing great now")).alarm


def test_someone_who_does_not_answer_when_called_in_dialect_or_english() -> None:
    assert read_danger(normalise("隔壁嬢嬢倒在过道头 喊都喊不答应 脸都白了")).alarm
    assert read_danger(normalise("伲阿爸靠辣沙发上眼睛闭牢 叫伊弗应")).alarm
    assert read_danger(normalise("我爸吃着饭往桌上一趴 喊他名字一点反应没有")).alarm
    assert read_danger(normalise("my grandma is unconcious on the kitchen floor, 6-1-901")).alarm
    assert not read_danger(normalise("家里的小度音箱 爷爷喊半天不搭理他 谁会设置")).alarm


def test_shut_out_on_a_balcony_pinned_under_furniture_or_a_tight_throat() -> None:
    assert read_danger(normalise("我被关在阳台上了 门从里面扣上了 零下十度 8号楼5层")).kind == "trapped"
    assert read_danger(normalise("衣柜倒了 把我压在底下 腿抽不出来")).alarm
    assert read_danger(normalise("吃了一口腰果 嗓子发紧 吸气越来越费劲")).kind == "breathing"
    assert read_danger(normalise("peanut reaction, her throat feels tight, EpiPen anyone?")).alarm
    assert not read_danger(normalise("把自己关在阳台外头了 幸好老婆回来开了门 冷死了")).alarm
    assert not read_danger(normalise("冰面上有个小孩掉冰窟窿里了 幸亏旁边人给拽上来了")).alarm
    assert not read_danger(normalise("看那个吃汤圆挑战 我看得嗓子眼发紧")).alarm


def test_words_hard_to_find_are_no_missing_person() -> None:
    assert not read_danger(normalise("我爸最近说话越来越慢 有时候找不到词 想找人陪他去看看")).alarm


@pytest.mark.parametrize(
    "text",
    [
        "家里让楼上的水泡了 地上全是水 谁今天有空帮着拖拖 我一个人弄不过来",  # cleaning up after
        "关住了 地上全是水 沙发也泡了",  # a valve shut, told as a reply
        "水管爆了淹了楼下两家 家财险赔不赔 有懂的帮我看看",  # a claim to make
        "廁所塞咗 水浸到成地都係 邊個有通渠泵",  # a blocked drain
        "琴晚水浸 成晚冇瞓 今日要执屋",  # last night
        "双十二的快递到了 客厅被纸箱子淹了",  # a figure
        "flooded with orders at the shop this week, sorry for the slow replies",
        "老人机进水了 开不了机 谁会修",  # a gadget
    ],
)
def test_water_already_stopped_a_claim_a_drain_or_a_figure_is_no_flood(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_water_still_rising_stays_a_flood() -> None:
    assert read_danger(normalise("楼上水管爆了 水还在往下灌 地上全是水 快来人关总阀")).alarm


@pytest.mark.parametrize(
    "text",
    [
        "有人用过那种带摔倒检测的摄像头吗",  # a device
        "我们屋头有个闲置的轮椅 哪家老人摔了腿要用的 拿去用",  # anyone, some day
        "阿公讲厕所灯坏了 夜里去厕所惊跌倒 谁识修",  # a fear
        "我奶奶上周摔了一跤 现在不敢一个人出门 谁周六陪她走走",  # a fall told with its past day
        "the curtain rail fell down this morning, anyone have a drill?",
        "our house-sitter fell through, anyone free to feed the cat?",
        "今天是我爸的忌日 在阳台上给他倒了杯酒",  # pouring a drink
        "我妈在楼下摔了一跤 已经自己起来了 哪都不疼",  # up again by herself
    ],
)
def test_fall_devices_anyone_some_day_past_falls_and_things_that_fell_are_no_alarm(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_a_fall_now_with_a_device_nearby_stays_an_alarm() -> None:
    assert read_danger(normalise("手表报了跌倒 我妈在卫生间摔倒了 起不来")).alarm


@pytest.mark.parametrize(
    "text",
    [
        "我个仔打机打到成个人瘫晒 叫佢食饭都唔应",  # absorbed in a game
        "孩子昨晚熬夜 早上叫都叫不醒 明天还要上学",  # asleep after a late night
        "我家那个电视遥控器按了没反应 谁会换电池",  # a gadget
        "我们公司年会抽奖 我抽到一个电饭煲 开心到要晕倒了",  # about to faint with joy
        "collapsed into bed at 9pm after the flight, best sleep ever",
        "My landlord doesn't answer and the heater sparks, who do I call?",
    ],
)
def test_absorbed_asleep_gadgets_and_about_to_faint_are_no_one_unconscious(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_a_drinker_who_wont_wake_and_breathes_badly_stays_an_alarm() -> None:
    assert read_danger(normalise("我老公喝多了 叫不醒 呼吸很弱 嘴唇发紫")).alarm


@pytest.mark.parametrize(
    "text",
    [
        "俺家老爷子糊涂了 白天俺上班 怕他自己出门走丢 谁能陪陪他",  # some day, not now
        "禮拜六下晡有人可以陪阮阿公去公園散步嗎 伊一個人會走丟",
        "我爸的帕金森药找不到了 可能落在出租车上 谁看见了",  # a thing lost
        "my grandpa who went missing on Sunday was found at the bus interchange, thank you all",
    ],
)
def test_prone_to_wander_a_lost_thing_and_someone_found_are_no_missing_person(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_nobody_home_upstairs_is_no_all_clear() -> None:
    assert read_danger(normalise("water is pouring through our ceiling, nobody is home upstairs")).alarm


def test_a_bin_emptied_for_grandma_and_a_new_mother_indoors_are_no_alarm() -> None:
    assert not read_danger(normalise("完成 垃圾已经帮李奶奶倒了")).alarm
    assert not read_danger(normalise("今晚谁能帮我把快递送到顺丰点 我在月子里出不去")).alarm
    assert read_danger(normalise("奶奶倒了 起不来 快来人")).alarm


def test_what_to_tell_the_dispatcher_is_advice_not_a_new_stroke() -> None:
    assert not read_danger(normalise("赶紧打120 说可能是中风 记下几点发作的 别给她喂水")).alarm
    assert not read_danger(normalise("即刻打999 講可能中風 記低時間")).alarm
    # the reporter's own words stay an alarm
    assert read_danger(normalise("我妈中风了 快打120 别给她喂水")).alarm
    assert read_danger(normalise("我爸好像中风了 嘴歪了 快打120 别给他喂水")).alarm


def test_a_flame_gone_out_with_a_smell_in_the_room_is_gas() -> None:
    reading = read_danger(normalise("我们家灶眼儿没着 一屋子味儿 我妈脑袋晕乎乎的 阀门拧不动了"))
    assert reading.kind == "gas" and reading.alarm
    assert not read_danger(normalise("炖了一锅羊肉 一屋子味儿 熏得我头晕")).alarm  # cooking


def test_worry_about_someone_lost_now_stays_an_alarm() -> None:
    assert read_danger(normalise("我爸有老年痴呆 会不会走丢了 出去三个钟头了")).alarm
    assert read_danger(normalise("我好怕他走丢了 老年痴呆 两个小时没回来")).alarm
    assert read_danger(normalise("谁来我妈摔了起不来")).alarm


@pytest.mark.parametrize(
    "text",
    [
        "开车下楼打着火了 等你们把人扶下来",  # an engine started
        "殡仪馆的证明火化手续都办完了 谁能陪我去趟社保",  # 证明 + 火化
        "今晚江边有烟火吗 孩子一直吵着要看",  # fireworks
        "早饭来个驴肉火烧 一个火烧八块",  # a pastry
        "小区团购家财险 火灾险 水灾险都含 扫码咨询",  # a policy
        "那年车棚火灾受灾户的补助今天发了",  # aftermath
        "楼下不让给老年代步车充电 说是怕起火 谁家车库能借个插座",
        "这火锅辣得我嗓子眼直冒烟",
        "被熊孩子气得头顶都要冒烟了",
        "双十二 我的购物车着火了",
        "楼道堆的纸箱迟早要着火 物业管管吧",
        "卫生间浴霸一股焦味 我已经拉闸了 没冒烟 谁懂电的帮看看",
        "the heater gave off a burning smell, it's unplugged now, anyone know a repairman",
        "篝火晚会开始了 火光映红半边天 别打119哈",
        "老头子非要自己生炭烧烤 火苗子蹿老高 全家笑翻",
        "上个月车库那场火 保险总算赔下来了",
        "油锅燃起来 盖个锅盖就灭了 吓我一跳",
        "fire pit night on the roof this Saturday, bring marshmallows",
    ],
)
def test_engines_pastries_fireworks_policies_and_smells_switched_off_are_no_fire(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


@pytest.mark.parametrize(
    "text",
    [
        "厨房着火了 快来人 5栋302",
        "插座焦味越来越大 拔掉了还在冒烟",  # worse, and smoke of its own
        "楼下烧烤摊的火苗窜到二楼阳台了 快打119",  # a grill fire spreading
        "真的着火了 不是演练 3号楼楼道全是烟",
    ],
)
def test_fires_with_those_words_nearby_stay_an_alarm(text: str) -> None:
    assert read_danger(normalise(text)).alarm


def test_a_cry_among_trivial_words_waits_for_the_model() -> None:
    # the model hears no danger: a sigh over a test or overtime
    assert read_danger(normalise("救命 这题太难了"), model_alarmed=False).harmless == "exclamation"
    assert read_danger(normalise("救命 又加班"), model_alarmed=False).harmless == "exclamation"
    # a cry with nothing but fillers and an address is an alarm whatever the model says
    assert read_danger(normalise("救命啊 3栋"), model_alarmed=False).alarm
    assert read_danger(normalise("救 命"), model_alarmed=False).alarm
    # the model hears danger: the short cry stays an alarm
    assert read_danger(normalise("救命 又加班"), model_alarmed=True).alarm


@pytest.mark.parametrize(
    "text",
    [
        "周末去蹦极 从六十米的桥上跳下去 尖叫了三秒",
        "游泳课从三米板跳下去 腿都软了",
        "刚看见有人站在楼顶边上 仔细一看是修太阳能的师傅 腰上拴着绳",
        "群里说天台上有人的 是维修工在修水箱 物业确认过了",
        "安眠药吃完了 明天谁能帮我去社区医院配一下",
        "刚吃了医生开的两片安眠药 终于能睡个好觉了 晚安",
        "Goodbye everyone, moving back to Manchester on Friday. Thanks for the dumplings!",
    ],
)
def test_sport_workers_on_the_roof_pills_as_prescribed_and_a_move_are_no_self_harm(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


@pytest.mark.parametrize(
    "text",
    [
        "天台上有人 是个装修工人 情绪很激动 说要跳",
        "我妈把一整瓶安眠药都吃了 医生开的 叫不醒",
        "吃了一片又一片安眠药 停不下来",
        "楼顶有个人坐在边上 一直往下看",
    ],
)
def test_a_worker_who_wants_to_jump_and_pills_swallowed_stay_an_alarm(text: str) -> None:
    assert read_danger(normalise(text)).alarm


@pytest.mark.parametrize(
    "text",
    [
        "问下 老人家跌倒了 係唔係唔好即刻扶起 要先睇佢识唔识动",
        "想請問 如果長輩在浴室跌倒 自己爬不起來 家人要先扶他還是先叫救護車",
        "问一下 如果一个人在家摔倒了起不来 手机又够不着 有啥办法",
        "问个事 纯属好奇哈 要是以后家里老人摔了起不来 是先扶起来还是先打120",
    ],
)
def test_what_to_do_if_anyone_falls_is_a_how_to_question(text: str) -> None:
    assert read_danger(normalise(text)).harmless == "how-to"


def test_a_call_unanswered_with_its_likely_reason_asks_a_neighbour_to_knock() -> None:
    explained = "我妈一个人住3号楼401 电话一下午没人接 估计又静音了 谁帮我敲下门"
    assert not read_danger(normalise(explained)).alarm
    # without a reason, an unanswered call to someone living alone stays an alarm
    assert read_danger(normalise("我妈一个人住3号楼401 电话一下午没人接 平时都接的")).alarm
    # and a reason for a call does not excuse someone who will not wake
    assert read_danger(normalise("我爸叫不醒 电话也没人接 估计是睡着了 可呼吸很弱")).alarm
    assert read_danger(normalise("我家老人摔倒了 起不来 怎么办")).alarm


def test_a_server_on_fire_a_gas_tip_a_patient_on_a_drip_and_a_valve_shut_are_no_alarm() -> None:
    assert not read_danger(normalise("the build server is on fire again, pray for me tonight")).alarm
    tip = "【转发】燃气公司提醒：如闻到燃气味，请勿开关电器，立即开窗并拨打96777"
    assert not read_danger(normalise(tip)).alarm
    assert not read_danger(normalise("doctors said food poisoning, he is on a drip now and ok")).alarm
    assert not read_danger(normalise("5号楼灶上的软管老化漏气 已关阀换新 人在外面透气 没事")).alarm
    # smelled now, with the valve not yet shut, it stays an alarm
    assert read_danger(normalise("闻到好大的燃气味 阀门拧不动 老人在屋里 快来")).alarm


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("self_harm", "a man is sitting on the rooftop ledge of block 4, legs over the edge"),
        ("self_harm", "kid standing on the window ledge outside 1708, nobody home"),
        ("bleeding", "我进去一看地上都是血 说是下面流的 止不住 脸煞白"),
        ("missing", "我爸老年痴呆 早上起来一看床是空的 不知道去哪了"),
    ],
)
def test_a_ledge_and_what_a_look_finds_are_the_danger_itself(kind: str, text: str) -> None:
    reading = read_danger(normalise(text))
    assert reading.alarm and reading.kind == kind


def test_a_pet_on_the_ledge_and_a_shock_at_a_bill_are_no_alarm() -> None:
    assert not read_danger(normalise("my cat is sitting on the window ledge again")).alarm
    assert not read_danger(normalise("我家猫坐在窗台上晒太阳")).alarm
    assert not read_danger(normalise("一看电费单 心梗都要犯了")).alarm


def test_a_smoke_alarm_relayed_or_sounding_on_and_a_breath_hard_to_draw_are_alarms() -> None:
    assert read_danger(normalise("物业app推送说家里烟雾报警 我在上班 家里只有我妈 3栋")).kind == "fire"
    assert read_danger(normalise("隔壁烟雾报警器响了二十分钟 敲门没人应")).alarm
    assert read_danger(normalise("the smoke alarm next door has been going off for 15 minutes")).alarm
    assert (
        read_danger(normalise("it's getting hot in the lift and hard to breathe, I have asthma")).kind
        == "breathing"
    )
    # a dying battery's chirp is a request for a ladder, not a fire
    assert not read_danger(normalise("烟雾报警器一直滴滴叫 响了半天 应该是没电了 谁帮我换")).alarm
    assert not read_danger(
        normalise("smoke alarm has been going off for an hour, it's the battery chirping")
    ).alarm


def test_a_fire_burning_with_the_power_off_stays_an_alarm() -> None:
    # the power cut is no all-clear for flames: only a smell or a burnt socket with the power off is a repair
    assert read_danger(normalise("厨房火烧起来了 我已经拉闸了 快来人")).alarm
    assert read_danger(normalise("插座焦味 拉闸了 还在冒")).alarm


@pytest.mark.parametrize(
    "text",
    [
        "三楼电梯关了人 维保师傅刚撬开门把人放出来了",
        "我爸在浴缸里起不来 我跟我弟把他抱出来了",
        "被加班困住了 今晚又回不去",
        "滚筒洗衣机门锁死了 衣服全困在里面",
        "阳台飞进来一只鸽子 在厨房里乱飞出不去",
    ],
)
def test_people_let_out_meetings_laundry_and_birds_are_no_one_trapped(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_someone_trapped_now_stays_an_alarm() -> None:
    assert read_danger(normalise("电梯卡在七楼 我爸一个人在里面 喊不应")).kind == "trapped"
    assert read_danger(normalise("开会回来发现我妈被困在浴缸里出不来了 快来人")).alarm


def test_a_week_wrapped_up_and_a_sigh_over_a_thing_are_no_goodbye() -> None:
    assert not read_danger(normalise("这个礼拜事情真多 大家保重 早点睡")).alarm
    assert not read_danger(normalise("手机又卡死了 真不想活了")).alarm
    assert not read_danger(normalise("烫个头发烫成方便面 我想死")).alarm
    assert not read_danger(normalise("this project is killing me, I want to die")).alarm


def test_a_goodbye_with_its_means_stays_an_alarm() -> None:
    assert read_danger(normalise("药都吃了 大家保重 别找我")).kind == "self_harm"
    assert read_danger(normalise("活着没意思 这辈子就这样了 大家保重")).alarm
    assert read_danger(normalise("胖成这样不想活了 药我都攒够了")).alarm


def test_a_heating_pipe_leaking_down_the_stairs_is_a_flood() -> None:
    assert read_danger(normalise("9号楼302暖气跑水了 快来人关阀")).kind == "flood"
    assert read_danger(normalise("楼上水管裂了 水哗哗往楼下淌")).kind == "flood"


@pytest.mark.parametrize(
    "text",
    [
        "我爸脑梗以后手一直没劲 谁会做康复操 来教教他",
        "外婆中风三年了 说话不清楚 想找人每周陪她聊聊天",
        "grandpa can't hold chopsticks well since his stroke, anyone good with adaptive spoons?",
    ],
)
def test_what_a_past_stroke_left_is_no_stroke_now(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_a_stroke_striking_again_stays_an_alarm() -> None:
    assert read_danger(normalise("我爸中风后一直在家养着 刚才突然又说不出话了 嘴也歪了")).kind == "stroke"


@pytest.mark.parametrize(
    "text",
    [
        "摸摸看还有没有气 没呼吸就马上按压",
        "叫不醒的先侧躺 别往嘴里灌水",
        "if he's not breathing call 120 — 叫不应就打120",
    ],
)
def test_what_to_do_if_someone_does_not_answer_is_advice(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_a_call_already_made_for_someone_who_does_not_answer_stays_an_alarm() -> None:
    assert read_danger(normalise("我爸叫不醒 就打了120 快来人")).kind == "unconscious"


@pytest.mark.parametrize(
    "text",
    [
        "别按门铃 会有火花 敲门就行",
        "这个月楼里着火 停水 老人走丢 都挺过来了 谢谢大伙",
        "the karaoke next door is so bad my ears are bleeding",
        "our team was on fire tonight, won by twenty",
    ],
)
def test_a_spark_that_might_be_a_year_lived_through_and_figures_are_no_alarm(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_sparks_flying_now_stay_an_alarm() -> None:
    assert read_danger(normalise("厨房插座冒火花了 还在冒烟")).kind == "fire"


@pytest.mark.parametrize(
    "text",
    [
        "退休电工一个 换插座灯泡修开关 找我就行",
        "会修手机 进水 换屏 卡顿都能弄",
        "刚做完眼睛手术 不能进水 谁能帮我洗个头",
        "楼上淹完我家天花板全是水印 谁认识刷墙的",
    ],
)
def test_bulbs_wet_gadgets_and_cleaning_up_after_are_no_flood(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_water_in_a_home_now_stays_a_flood() -> None:
    assert read_danger(normalise("楼上漏下来 插座都泡了 还在往下滴")).kind == "flood"
    assert read_danger(normalise("手机放桌上 家里地上全是水 水管还在喷")).kind == "flood"


@pytest.mark.parametrize(
    "text",
    [
        "快打120 记下是几点发现的 先别喂水",
        "快叫救护车 让她平躺 别乱动",
        "call 120, don't move his neck, I'm coming",
    ],
)
def test_a_reply_telling_the_caller_what_to_do_waits_for_the_model(text: str) -> None:
    assert not read_danger(normalise(text)).alarm


def test_a_call_for_an_ambulance_with_the_danger_named_stays_an_alarm() -> None:
    assert read_danger(normalise("快打120 我妈在厕所摔了 别让她动")).kind == "fall"
    assert read_danger(normalise("快叫救护车 我爸叫不醒")).alarm


def test_chest_compressions_going_on_labour_and_water_still_rising_are_alarms() -> None:
    assert read_danger(normalise("叫了120 我在给他按胸口 谁来换一下手")).kind == "unconscious"
    assert read_danger(normalise("my wife is in labour, contractions 2 min apart, 5-1-302")).alarm
    assert read_danger(normalise("原来是车库进水了 已经到膝盖 还在涨")).kind == "flood"


def test_labour_at_the_hospital_and_chest_compressions_learnt_are_no_alarm() -> None:
    assert not read_danger(
        normalise("wife's in labour at the hospital, all fine, can anyone walk our dog")
    ).alarm
    assert not read_danger(normalise("今天社区培训 学了怎么按胸口 手都酸了")).alarm


def test_a_child_choking_on_what_it_ate_is_read_by_the_reader_alone() -> None:
    assert read_danger(normalise("外孙吃汤圆卡住了 脸都憋紫了"), model_alarmed=False).kind == "choking"


def test_the_readers_sources_hold_no_control_characters() -> None:
    # a "\b" written without r"" is a backspace, and the pattern then never matches
    folder = Path(__file__).parent.parent / "handlers" / "understanding"
    for source in folder.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text), source.name
