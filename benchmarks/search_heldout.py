"""The held-out search queries: written before any tuning of issue 23, and never tuned on.

Synonyms, short forms, filler words, weights and thresholds are tuned on search_queries.py
(the tuning part) only; this file is scored beside it by search_quality.py so the figure it
gives is not one the tuning was fitted to. Do not edit a query or its answer to make a figure
better: add new queries to the tuning part instead.

Each answerable query names its class and the records any of which is a right answer (the
issue, its duplicates, or its solution); it scores when one is in the top 3. The out-of-domain
queries must get the empty state.
"""

from __future__ import annotations

# (class, query, right records)
HELD_OUT: list[tuple[str, str, tuple[str, ...]]] = [
    # Homophone typos, as pinyin input methods make them: same sound, or a fuzzy initial or
    # final (z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing).
    ("homophone", "回宽单保存按钮是灰的", ("ISS-0011", "SOL-0007")),
    ("homophone", "审皮卡在财务总监那里", ("ISS-0014", "SOL-0010")),
    ("homophone", "跟近记录补录日期不对", ("ISS-0019", "SOL-0015")),
    ("homophone", "信用额渡占用没释放", ("ISS-0038",)),
    ("homophone", "账龄报表到出超时", ("ISS-0032",)),
    ("homophone", "订单审核后卓废重建", ("ISS-0015", "SOL-0011")),
    ("homophone", "桑机下一阶段金额清空了", ("ISS-0034",)),
    ("homophone", "服务工单操时统计算了国庆", ("ISS-0024", "SOL-0020")),
    ("homophone", "业务员泥职客户没人跟进", ("ISS-0005", "SOL-0003")),
    ("homophone", "报价单PDF显示反框", ("ISS-0025",)),
    ("homophone", "新价格表没有身效", ("ISS-0007", "SOL-0004")),
    ("homophone", "银行回单手续费和销不了", ("ISS-0030",)),
    ("homophone", "折扣审批邮件标题乱马", ("ISS-0042",)),
    ("homophone", "合同到期没有收到提型", ("ISS-0017", "SOL-0013")),
    # Short forms: English abbreviations of Chinese terms, and Chinese short names.
    ("short form", "CFO审批卡了三天", ("ISS-0014", "SOL-0010")),
    ("short form", "GM出差大单没人审批", ("ISS-0028",)),
    ("short form", "AR里预付款是负数", ("ISS-0043",)),
    ("short form", "SLA超时统计把国庆算进去", ("ISS-0024", "SOL-0020")),
    ("short form", "财总审批卡住订单发不了货", ("ISS-0014", "SOL-0010")),
    # Names the segmenter's dictionary does not know.
    ("unknown name", "郑浩", ("ISS-0005", "SOL-0003")),
    ("unknown name", "郑浩的客户", ("ISS-0005", "SOL-0003")),
    ("unknown name", "宏远建材催发票", ("ISS-0005", "SOL-0003")),
    # Traditional characters.
    ("traditional", "業績報表合計對不上", ("ISS-0012", "SOL-0008")),
    ("traditional", "合併客戶後跟進記錄不見了", ("ISS-0027",)),
    ("traditional", "工單轉派後原處理人還收到提醒", ("ISS-0035",)),
    ("traditional", "預付款顯示負數", ("ISS-0043",)),
    ("traditional", "電商訂單導入贈品變成0元", ("ISS-0021", "SOL-0017")),
    # Long spoken questions, filler and all.
    ("spoken", "为啥我新建付款条件老是提示名称已存在啊", ("ISS-0004", "SOL-0002")),
    ("spoken", "客户一直打电话来说报修了没人管是咋回事", ("ISS-0016", "SOL-0012")),
    ("spoken", "周报里本周新增客户怎么老是比我自己统计的多", ("ISS-0040",)),
    ("spoken", "业务员自己把客户名称里的有限公司删了开票抬头错了咋办", ("ISS-0037",)),
    ("spoken", "新上架的产品为啥在报价单里一直选不到", ("ISS-0036",)),
    ("spoken", "工单转派以后原来的处理人老是收到超时提醒咋回事", ("ISS-0035",)),
    ("spoken", "线索都没意向了为啥还非得写跟进记录", ("ISS-0048",)),
    ("spoken", "请问商机推到下一阶段预计金额咋就清空了", ("ISS-0034",)),
]

# Nothing in the knowledge base is about these: they must get the empty state.
HELD_OUT_EMPTY: list[str] = [
    "公司年会抽奖",
    "差旅费报销怎么填",
    "会议室预订",
    "体检报告在哪看",
    "电脑蓝屏了咋办",
    "天气预报",
    "食堂今天吃啥",
    "宿舍热水器坏了",
]
