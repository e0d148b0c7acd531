"""The search-quality set for search_quality.py: everyday staff queries and their answers.

Each answerable query lists the records any of which is a right answer (an issue, its
duplicates, or the solution that resolves it); it scores when one of them is in the top 3.
The out-of-domain queries must show the empty state: nothing in the knowledge base is about them.
Written the way staff type: colloquial, traditional characters, mixed with English and ids.
"""

from __future__ import annotations

ANSWERABLE: list[tuple[str, tuple[str, ...]]] = [
    ("报价单 PDF 乱码", ("ISS-0025",)),
    ("报价pdf字变成方框", ("ISS-0025",)),
    ("報價單匯出PDF方框", ("ISS-0025",)),
    ("帳齡報表", ("ISS-0032",)),
    ("账龄报表导出excel超时", ("ISS-0032",)),
    ("月底账龄表导不出来", ("ISS-0032",)),
    ("导不进来", ("ISS-0041", "ISS-0029", "ISS-0021", "SOL-0017")),
    ("店铺未授权 订单导不进来", ("ISS-0041",)),
    ("ISS-0042", ("ISS-0042",)),
    ("iss-0025", ("ISS-0025",)),
    ("SOL-0016", ("SOL-0016",)),
    ("折扣审批邮件标题乱码", ("ISS-0042",)),
    ("審批郵件亂碼", ("ISS-0042",)),
    ("付款条件重复", ("ISS-0003", "ISS-0044", "ISS-0004", "SOL-0002")),
    ("付款條件名稱已存在", ("ISS-0004", "SOL-0002")),
    ("业务员离职了客户没人跟", ("ISS-0005", "SOL-0003")),
    ("离职的人还收到到期提醒", ("ISS-0006", "SOL-0003")),
    ("报价还是旧价格", ("ISS-0007", "SOL-0004")),
    ("价格表同一个型号两个价", ("ISS-0008", "SOL-0005")),
    ("电商订单还要手工再录一遍", ("ISS-0009", "ISS-0046", "SOL-0006")),
    ("新来的业务员登录看不到客户", ("ISS-0010", "SOL-0007")),
    ("財務新人回款單保存是灰色", ("ISS-0011", "SOL-0007")),
    ("业绩报表合计对不上", ("ISS-0012", "SOL-0008")),
    ("同一个客户建了两条档案", ("ISS-0013", "SOL-0009", "ISS-0027")),
    ("信用额度审批卡住 发不了货", ("ISS-0014", "SOL-0010")),
    ("订单审核后改数量 作废重建", ("ISS-0015", "SOL-0011")),
    ("工单结案后客户又打电话来", ("ISS-0016", "SOL-0012")),
    ("合同到期没提醒", ("ISS-0017", "SOL-0013")),
    ("輸單原因都選其他", ("ISS-0018", "SOL-0014")),
    ("外面拜访客户跟进记录补录日期不对", ("ISS-0019", "SOL-0015")),
    ("回款核销到别的订单上了", ("ISS-0020", "SOL-0016")),
    ("赠品变成0元订单行", ("ISS-0021", "SOL-0017")),
    ("历史回款单实际到账日期是空的", ("ISS-0022", "SOL-0018")),
    ("订单上还能手工改付款天数", ("ISS-0023", "SOL-0019")),
    ("国庆假期工单都显示超时", ("ISS-0024", "SOL-0020")),
    ("客户移交以后回款算到新业务员头上", ("ISS-0026",)),
    ("合并客户后跟进记录没了", ("ISS-0027",)),
    ("老板出差大单没人批", ("ISS-0028",)),
    ("银行回单手续费核销不了", ("ISS-0030",)),
    ("合同附件太大传不上去", ("ISS-0031",)),
    ("经理能看到别的部门的回款", ("ISS-0033",)),
    ("商机下一阶段预计金额没了", ("ISS-0034",)),
    ("新产品报价单里选不到", ("ISS-0036",)),
    ("订单取消了信用额度没释放", ("ISS-0038",)),
    ("客户要周六送货 交货日期选不了", ("ISS-0039",)),
    ("预付款显示负数", ("ISS-0043",)),
    ("节后才入账 账龄逾期", ("ISS-0001", "ISS-0045", "SOL-0001")),
    ("已审核的订单删不掉", ("ISS-0049",)),
]

OUT_OF_DOMAIN: list[str] = [
    "量子纠缠",
    "打印机卡纸",
    "食堂菜单",
    "年假怎么请",
    "停车位申请",
    "咖啡机坏了",
    "wifi密码",
    "显示器闪屏",
    "团建去哪里",
    "快递寄丢了",
    "空调太冷",
    "股票行情",
]
