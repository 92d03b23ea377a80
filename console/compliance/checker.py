"""The compliance checker: a rule pack applied to a script, with context, negation and the product's facts.

``Checker(pack).check(text, product)`` returns the findings sorted by start.
The editor calls it on every keystroke; it stays fast because:

* a check of a whole text normalises it once, finds with a few table
  look-ups over it where each rule's expressions may start (their exact
  first two characters, prefilter.Candidates), tries each expression only
  there, with only its alternatives that start with the character there,
  then judges only the matches;
* :meth:`Checker.recheck` (and :meth:`Checker.check` itself, which remembers the
  last text it checked for the same product) re-scans only the sentences an
  edit touched: the common prefix and suffix of the old and new text are
  found, the changed stretch is widened to whole sentences (rules never match
  across 。！？; or a line break), that stretch is checked, and the findings
  before it are kept and those after it shifted by the edit's length.

Context that keeps a match from being a finding, in this order:

1. the rule's own ``exceptions`` (最近 and 最后一天 for 最, 第一次 for 第一,
   我个人最喜欢 for 最喜欢): a match inside an exception's match is none;
2. negation and disclaimers, for rules marked ``negatable``: a negation
   earlier in the same clause (这不是药品，不能替代治疗; "does not cure");
3. the product's facts, for the built-in checks: a counter price equal to
   the catalog's evidenced one, "only 3 left" when 3 are left.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from console.compliance.findings import BLOCK, CATEGORIES, WARN, Finding, ProductFacts
from console.compliance import prefilter
from console.compliance.kinds import product_kind
from console.compliance.normalize import Normalized, normalize, simplified
from console.compliance import opinion as _opinion
from console.compliance.opinion import Opinion, default_opinion
from console.compliance.numbers import AMOUNT, amount_value, fen
from console.compliance.pack import Rule, RulePack
from console.compliance.prefilter import needs_filter, start_class
from console.i18n import Localized, Message, Money, msg

_COLUMN = {category: column for column, category in enumerate(CATEGORIES)}
_ADD_COLUMNS = [column for column, category in enumerate(CATEGORIES) if category in _opinion.ADDS]
# What a sentence the second opinion underlines does not begin or end with.
_SENTENCE_TRIM = frozenset("。！？!?；;\n，,：: ")
# Rules never match across these, so an edit only ever changes the findings of the sentences it touches.
SENTENCE_STOPS = frozenset("。！？!?；;\n")
_CLAUSE_STOPS = frozenset("，。！？；：,!?;:\n")
_CLAUSE_STOP = re.compile("[，。！？；：,!?;:\n]")
_COMMA = re.compile("[，,]")
_IS_CLAUSE_STOP = np.zeros(0x10000, dtype=bool)
_IS_CLAUSE_STOP[[ord(c) for c in _CLAUSE_STOPS]] = True
_NEGATION = re.compile(
    r"(?:不是|并不是|并非|不属于|不能替代|不能代替|不可替代|不可代替|替代不了|代替不了|无法替代|不能取代|不具有|不具备|"
    r"不宣称|不涉及|不能用于|不用于|不能说|不敢说|不会说|不要说|没有说|不说|不承诺|没法保证|不能保证|不敢保证|不保证|"
    r"不建议|不能|没有|并没有|不可以|不可|不要|千万不要|不用|不需要|切勿|请勿|禁止|(?:请|千万|可)别|"
    # No such thing, nobody will vouch for it: 不存在绝对不过敏的面霜, 没人敢保证百分百不漏, 不敢打包票说不起球.
    r"不存在|没(?:有)?(?:人|谁)(?:敢|能|可以)?(?:保证|担保|打包票)|不敢(?:打包票|打保票|担保|拍胸脯)|"
    # Not saying so: 不代表能降血糖, 并不等于能减肥; mistaking it for so: 别看包装就以为能去斑.
    r"(?:并)?不(?:代表|等于|意味着)|(?:别|不要|千万别|可别)(?:看[\u4e00-\u9fff]{1,6}?就)?以为(?![\u4e00-\u9fff]{0,4}只是)|"
    # Cantonese: 唔系 (不是), 冇 (没有), 唔能, 唔可以, 唔会, 唔使 (不用), 唔好 (不要).
    r"唔(?:系|是|能|可以|会|使|好)|冇|"
    r"(?:别|不要|不能|甭|不用)指望|指望不了|(?:但是|可是|但|也|你|们)别(?!家|人|的|处|样|提|看|说)|"
    r"(?<![\u4e00-\u9fff])别(?!家|人|的|处|样|提|看|说)|"
    r"(?<![a-z])(?:not|no|never|cannot|can ?t|isn ?t|doesn ?t|don ?t|won ?t|nor|without)(?![a-z]))")
# After a negation, these turn the sentence back into a claim (不用吃药就能治好).
_REVERSAL = re.compile(r"就|也能|都能|照样|一样能|却|但|反而|(?<![a-z])(?:but|yet|still)(?![a-z])")
# Saying what one does not claim: no later 就 or 但 turns these back into a claim (不是说喝了就能长高).
_DISCLAIMERS = re.compile(r"不是说|并不是说|不能说|不敢说|不会说|不说|没有说|不宣称|不承诺|不是药|并非药|不具有|"
                          r"不(?:代表|等于|意味着)|(?:别|不要|不能|甭|不用)指望|唔系药|"
                          r"(?:别|不要|千万别|可别)(?:看[\u4e00-\u9fff]{1,6}?就)?以为(?![\u4e00-\u9fff]{0,4}只是)")
_NEGATION_REACH = 14
# Disowning what was just said, later in the same clause (降糖电饭煲这种说法我们不说; 说能治病的都是骗人的).
# Searched from the end of the match, a few characters on, within its clause.
_DISOWNED = re.compile(
    r"(?:说法|宣传|话术|说辞|那一套|这一套|那套|这套)(?:我们|咱们|我)?(?:都|是|从来|一律)?"
    r"(?:不说|不能说|不敢说|不会说|不讲|不能讲|不能用|不用|是违规的|违规|不合规|不对|是错的|是骗人的|是假的|是夸大|是虚假)"
    # 说加微信有低价的都是骗子 (but not 我不是骗子: that says the claim is true).
    r"|(?<![不并])(?:都是|全是|是)(?:骗人|骗子|诈骗|忽悠人|忽悠|智商税|虚假宣传|假的|夸大|瞎说|胡说|乱说|瞎扯|胡扯)"
    # The word taken out of the listing (那个“医用级”我已经让运营删了).
    r"|(?:我们|我|咱们|咱)(?:已经|早就|都)?(?:让|叫)?[\u4e00-\u9fff]{0,2}(?:删了|删掉了|撤了|撤掉了|去掉了|改掉了)"
    # The word itself disowned (祛斑这个词我们不能说, 暖不暖宫这种话我不瞎说), or what it cannot do (湿疹它管不了).
    r"|(?:这个词|这种词|这词|这几个字|这俩字|这两个字|这种话|这话)(?:我们|咱们|咱|我)?(?:可|是|从来|都|也)?"
    r"(?:不能|不敢|不会|不可以|不让|没法|不|不瞎|不乱|不能乱|不敢乱|不能瞎)说"
    r"|(?:它|这个|这款)可?(?:管不了|治不了|治不好|帮不了|解决不了)"
    # Not saying whether it does, at the clause's end (湿疹宝宝能不能用我不敢说).
    r"|(?:我们|咱们|我|咱)(?:可|真|也|是)?(?:不敢说|不敢讲|说不好|不好说|说不准|不敢保证|不敢打包票)(?=$|[，。！？；：,.!?;:])")
_DISOWNED_REACH = 24
# Saying right after the words that there is no such thing (治病是没有的; 祛斑的功效它没有).
_DISOWNED_AT = re.compile(r"(?:(?:的)?(?:功效|作用|效果|功能|本事)(?:它|这个|我们|咱们|咱)?(?:是|可|真|都|也|就|根本|压根)?"
                          r"|(?:它|这个|我们|咱们|咱)?(?:是|根本|压根|可))(?:没有|没|冇)(?:的)?(?=$|[，。！；,.!;\n])")
# The characters a negation and a disowning can start with: where none is in reach, they are not run (a class
# found in C is far cheaper than the expression tried at each place).
_NEGATION_STARTS = start_class(_NEGATION)
_DISOWNED_STARTS = start_class(_DISOWNED)
# Disowning it at the start of the next clause of the same sentence (有人说它能治病，那都是玄学; 弹幕说喝了不头疼，
# 这我可不敢打包票; 有人说能降血脂，我们不这么说).
_DISOWNED_NEXT = re.compile(
    r"(?:那|这|这些|那些|这种|那种)?(?:说法|话)?(?:都|全|就|纯属|纯粹|多半)?(?:是)?"
    r"(?:玄学|迷信|骗人|骗子|诈骗|忽悠|谣言|瞎说|胡说|乱说|瞎扯|胡扯|智商税|夸大|虚假宣传|没有科学依据|没科学依据|不科学|噱头)"
    r"|(?:那|这|这个|这话|这种话|这点)?(?:我们|咱们|我|咱)(?:可|真|从来|都|也|是)?"
    r"(?:不这么说|不这样说|不敢这么说|不能这么说|不这么讲|不敢说|不敢讲|不敢保证|不敢打包票|保证不了|打不了包票|没法保证)")
# A question the anchor answers "no" in the next sentence (吃了能减肥吗？别想了; 能降三高吗？不能; 员工价？没有).
_QUESTION_STOPS = frozenset("？?")
_ANSWERED_NO = re.compile(
    r"(?:抱歉|不好意思|对不起|sorry)?(?:那|这个?)?(?:我们|咱们|我)?(?:当然|肯定|真|绝对|那可|可)?(?:不能|不会|不行|不可能|不是|并不是|不算|没用|没效果|别想了?|想多了|做不到|治不了|管不了|"
    r"不敢(?:这么|这样)?(?:说|讲|保证|打包票)|不好说|没法说|保证不了|不(?=[，,])|不至于|谈不上|算不上|称不上|言重了|没有|冇|"
    r"没这(?:个|种)?(?:功效|效果|作用|本事)|没那(?:个|么)(?:功效|效果|作用|神))(?=$|[，。！,.!哈啊呀的了])")

_UNIT_CN = ("名额|件|个|套|瓶|盒|份|单|支|罐|箱|台|只|双|条|把|块|袋|包|组|对|款|斤|克|根|张|片|粒|桶|提|饼|串|枚|颗|副|顶|"
            "床|本|杯|卷|捆|盆|株|部|辆|匹|尾|听|板|盏|座|套装|礼盒")
_PRICE_TAIL = r"(?:元|块钱|块|rmb|yuan|人民币)?"
_CURRENCY = r"(?:¥|\$|rmb|cny|人民币)?"
_COUNTER_LABELS = ("专柜价", "专柜卖", "专柜要", "专柜", "吊牌价", "吊牌", "柜台价", "柜台卖", "门店价", "商场价",
                   "门店卖", "门店要", "商场卖", "商场要", "实体店卖", "实体店价", "官网卖", "专卖店卖", "柜台要",
                   "官方售价", "官网售价", "专柜售价", "门店售价", "建议售价", "厂家指导价", "指导价",
                   "专柜标价", "门店标价", "标价", "官方旗舰店卖", "旗舰店卖", "官方旗舰店价", "旗舰店价",
                   "零售价", "建议零售价", "官方价", "官网价", "官方指导价", "市场价", "counter price", "retail price",
                   "list price", "rrp", "tag price", "in store price", "in-store price")
_ORIGINAL_LABELS = ("原价", "日常价", "平时价", "平时卖", "平常卖", "平时要", "之前卖", "之前要", "以前卖", "划线价",
                    "常规价", "正常价", "正价", "original price", "regular price", "usually", "normally", "was")
_LIVE_LABELS = ("直播价", "到手价", "现在只要", "今天只要", "直播间只要", "秒杀价", "活动价", "福利价", "券后价",
                "现价", "live price", "now only", "today only", "now just")


def english_word(word: str) -> str:
    """``word`` as a whole English word, its boundary checked after its first letter (``b(?<![a-z]b)est``).

    Written so, the expression starts with a literal and the engine skips
    through a long script in C to the places where that letter is.
    """
    first = re.escape(word[0])
    rest = re.escape(word[1:]).replace(r"\ ", " ?")
    return f"{first}(?<![a-z]{first}){rest}(?![a-z])"


def _labels(labels: Sequence[str]) -> str:
    parts = []
    for label in sorted(labels, key=len, reverse=True):
        parts.append(english_word(label) if label.isascii() else re.escape(label))
    return "|".join(parts)


# 平时在超市卖: an original price said through another shop.
# 平常都卖, 以前都是卖, 平时一般要: the same with a word between.
_ORIGINAL_ELSEWHERE = (r"平(?:时|常)在[\u4e00-\u9fff]{1,4}?(?:卖|要)|"
                       r"(?:平时|平常|以前|之前|往常|平日)(?:都|一直|都是|一般|基本都|正常)是?(?:卖|要)|"
                       # 前几天还一直卖459, 上礼拜还是89, 之前直播间一直是2999: a time, the place, then the price.
                       r"(?:原来|以前|之前|平时|平常|平日|往常|上周|上个?礼拜|上个?星期|上个月|上回|上次|上一次|上一场|上场|昨天|前天|前几天|"
                       r"前两天|前阵子|前段时间|前些天)(?:在)?(?:我们|咱们)?(?:直播间|直播|店里|我们家|我们这|这边|专柜)?(?:都|还|也)?"
                       r"(?:一直|都是|还是|一般|都)?(?:卖|要|是)|"
                       # 之前3999, 平时都是一千六百八: the time and the price with no verb, when the price reads as one
                       # (three digits or a hundreds numeral, then a yuan, a unit or the clause's end).
                       r"(?:原来|以前|之前|平时|平常|往常|平日)(?:都|还|也|一直)?(?:都是|还是|是)?"
                       r"(?=(?:\d{3,}|[一二两三四五六七八九][百千万][零一二两三四五六七八九十百千万]*)"
                       r"(?:元|块|多(?![人位名个])|[，。！？,.!?；]|$|一[台件瓶盒套条支个双罐]))")
# 专柜这件卖一千六, 商场里这一台标三千九, 同款在商场二楼挂着1299: a counter price said through the place that sells
# it; judged as a counter price.
_COUNTER_AT = (r"(?P<at>(?:在)?(?:专柜|柜台|商场|门店|实体店|专卖店|母婴店|超市|金店|旗舰店|店里)(?:专柜|柜台)?(?:里|上)?"
               r"(?:[一二三四五六七八九负\d]楼)?(?:的)?(?:(?:这|那)?(?:一)?[件台条瓶罐套盒支个双只把块款][\u4e00-\u9fff]{0,3}?)?(?:同款)?"
               r"(?:标的是|标价是|标着|标的|标|卖的都是|卖的是|都卖|要卖|卖|挂着|挂的是|挂的|挂牌价?是?|少说也得|少说也要|少说|起码|至少|"
               r"都要|都在|都是))")
# The labels as they are compared with what was said, spaces left out (专柜 价).
_COUNTER_LABELS_UNSPACED = frozenset(c.replace(" ", "") for c in _COUNTER_LABELS)
_PRICE_REFERENCE = re.compile(
    rf"(?P<label>{_COUNTER_AT}|{_labels(_COUNTER_LABELS)}|{_labels(_ORIGINAL_LABELS)}|{_ORIGINAL_ELSEWHERE})"
    rf"(?:加起来|合起来|加一起|算下来|一共|总共)?"
    rf"(?:一直都是|一直是|一直卖|都在|是|要|卖|为|都要|都是|都卖|都得|就要|可是|足足|高达|起码要|起码|至少要|至少|"
    rf"少说也要|少说也得|少说|:| is| of| at)?(?:[一每](?:罐|瓶|盒|件|套|支|条|台|斤|袋|包|箱|只|双|个|份|克|杯)(?:是|要|卖|就要|都要)?)?"
    rf" ?{_CURRENCY} ?(?P<amount>{AMOUNT})(?!(?<=[一二两三四五六七八九柜价牌]一)[罐瓶盒件套支条台斤袋包箱只双块克个份杯])"
    rf"(?P<more>多)?{_PRICE_TAIL}(?![\d十百千万样致般个天楼号次年月周岁层毫克码寸]|ml|g(?![a-z]))")
# 168的现在只要84, 1599的礼盒今晚只要799: the price before said as the thing's own, then tonight's; judged as an original
# price. The expression starts at the 的 (a literal the engine skips to; a pattern starting with a digit class costs a
# tenth of a millisecond on a long script), and the amount is read back from just before it (_AMOUNT_BEFORE).
_IMPLIED_ORIGINAL = re.compile(
    r"的(?<=[\d百千万块元多]的)[，,]?[\u4e00-\u9fff]{0,6}?"
    r"(?:(?:现在|今天|今晚|直播间|这里|咱这|在这)(?:只要|只卖|只需|才|就要|直接|只)|只要|只卖|只需)")
_AMOUNT_BEFORE = re.compile(
    r"(?<![\d.满减了花])(?<!\d,)(?P<amount>\d{2,}(?:\.\d{1,2})?|[一二两三四五六七八九][百千万][零一二两三四五六七八九十百千万]{0,4})"
    r"(?P<more>多)?(?:块钱|块|元)?$")
_LIVE_PRICE = re.compile(
    rf"(?P<label>{_labels(_LIVE_LABELS)})(?:是|为|:| is)? ?{_CURRENCY} ?(?P<amount>{AMOUNT}){_PRICE_TAIL}")
_STOCK_CLAIM = re.compile(
    # 这批只到了二十台: what came in, said as what there is to sell.
    # 剩的不到十条: fewer than a count, read as the count.
    r"(?P<label>(?:只|就|还|仅)?剩(?:的|下的?)?(?:不到|不足)|只剩下?|仅剩下?|就剩下?|还剩下?|剩下|最后|库存只有|只有|仅有|仅此|就这|"
    # 今天也就放一百台: what is put on sale tonight; 我只抢到二十件: what the anchor got hold of.
    r"(?:这批|这一批|这次|这回|今天|今晚|这场)货?(?:也)?(?:只|就|才|仅)(?:到了|来了|进了|拿了|拿到了?|抢到了?|调了|分到了?|"
    r"配了|备了|放了?|放出来?了?|上了?|开了?)|"
    r"(?:只|就|才|仅)(?:抢到|拿到|分到|争取到|要到|调到|申请到)了?|"
    + english_word("only") + "|" + english_word("just") + "|" + english_word("last") + r")(?:最后)? ?"
    # 十几支, 二十几件: a vague count, read as its most (十九, 二十九); 伍拾件: in financial numerals.
    r"(?P<amount>\d{1,5}|[一二两三四五六七八九]?十[几来]|[一二两三四五六七八九十百千壹贰貳叁參肆伍陆陸柒捌玖拾佰仟]{1,4}|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|a few) ?"
    rf"(?P<unit>{_UNIT_CN}|pieces?|units?|bottles?|sets?|boxes|items?|left|in stock)"
    # 最后三台福利机: the count of the deal's own pieces.
    r"(?: left| in stock)?(?:了|啦|哦|啊|呀|喽|咯|库存|现货|(?:的)?(?:福利|特价|秒杀|活动|尾货)[机款品货装]?)?"
    r"(?=$|[，。！？；,.!?;\n ]|了|啦)")
_MOBILE = re.compile(r"\+861[3-9]\d{9}(?!\d)|8(?<!\d8)61[3-9]\d{9}(?!\d)|1(?<!\d1)[3-9]\d{9}(?!\d)")
_CONTACT_NUMBER = re.compile(
    r"(?:电话|手机号?|号码|座机|打给我|联系我|" + "|".join(english_word(w) for w in ("call", "phone", "tel", "whatsapp"))
    + r")(?:是|为|:|,|，)? ?\+?\d{7,12}(?!\d)")
_WECHAT_ID = re.compile(
    r"(?:" + "|".join(english_word(w)[:-len("(?![a-z])")] for w in ("vx", "wx", "weixin", "wechat", "v信"))
    + r"|微信|薇信|威信|维信|徽信|卫信|魏信|围信|卫星|微星|维星|薇星|威星|微)号?(?:是|为)?[:]? ?(?P<id>[a-z][a-z0-9_-]{5,19})"
    r"(?![a-z0-9_-])")
# v:, v号:, v我: (add me on WeChat:) and the id.
_V_ID = re.compile(r"v(?<![a-z]v)(?:号|我)?: ?(?P<id2>[a-z][a-z0-9_-]{5,19})(?![a-z0-9_-])")
# Q: and the number, as a QQ number.
_QQ_ID = re.compile(r"(?:q(?<![a-z]q)q|q(?<![a-z]q)号|q(?<![a-z]q)(?=:)|扣扣|抠抠|叩叩|蔻蔻|企鹅)(?:号|群)?(?:是|为)?[:]? ?\d{5,11}"
                    r"(?!\d)")
# A discount (打一折, 直接三折, 八五折, 半价): what it says the live price is, against the reference prices.
_DISCOUNT = re.compile(
    r"(?P<amount>[一二两三四五六七八九]{1,2}|\d(?:\.\d)?|\d{2})(?:点(?P<tenth>[一二三四五六七八九]))?折"
    r"(?!叠|扣|痕|线|页|纸|边|腾|射|算|合|旧|中|返|现|券|卡|起来)"
    r"|(?:半价|对折|砍半|对半砍|砍(?:掉)?一半|腰斩)(?P<half>)")
# What a half price needs before it to be said of the product (直接半价), not of a second piece (第二件半价).
_HALF_BEFORE = re.compile(r"(?:打|直接|全场|今天|今晚|现在|直播间|相当于|等于|打了个?|打个|统统|全部)$")
# Or said on its own, at a clause's end (推车半价！, 这个礼盒半价，168的只要84): a multi-buy (第二件半价) is the rule's
# exception.
_HALF_ALONE = re.compile(r"[！!。，,：:]|$")
# So much below a reference price (比专柜便宜一千, 比原价低一半): checked against the facts with the discounts.
_SAVING = re.compile(
    # 比我们专柜便宜一千五; 比专柜平咗成千蚊 (Cantonese: cheaper by a thousand or so)
    r"比(?:我们|咱们|我们家|咱家|咱)?的?(?P<place>专柜价?|门店价?|商场价?|柜台价?|实体店|官网价?|吊牌价|原价|日常价|平时|平常|"
    r"(?:外面|外头|出面|别家|市面上)?的?(?:金店|超市|母婴店|专卖店)|外面|外头|出面|别家|市面上)(?:每克|每斤|每件|每瓶|每盒|一克|一斤)?(?:还|都|要|直接|足足|整整|能)?"
    rf"(?:便宜|低|省|少|划算|平(?!时|常|价|均|台|方|板|安|稳))(?:了|咗)?(?:整整|足足|直接|差不多|将近|成|上|近)?"
    rf"(?:(?P<saving>{AMOUNT})(?![些点下半])(?P<more>多)?(?:块钱|块|元|蚊)?|(?P<half>一半))?")
# A cut said as an amount (直降五百, 立省一千, 一罐省160): against either reference price; without one, for the anchor to
# check. Said of several pieces (拍两件直接省四百), it is so much a piece.
_CUT = re.compile(rf"(?:直降|立减|立省|直减|省了|便宜了|优惠了|降了|直接省|直接便宜|直接降|足足省|整整省|一共省|能省|"
                  rf"一(?:件|罐|瓶|盒|套|支|台|条|双|个|份|箱|袋|包|斤)(?:就|能|直接)?省|"
                  rf"每(?:件|罐|瓶|盒|套|支|台|条|双|个|份|箱|袋|包|斤)(?:就|能|直接)?省)(?P<saving>{AMOUNT})(?![些点下])"
                  r"(?P<more>多)?(?:块钱|块|元)?")
_PIECES = re.compile(r"(?:拍|买|入|囤|带|要|下单)(?P<count>[两二三四五六七八九十]|[2-9]|1[0-9])"
                     r"(?:件|罐|瓶|盒|套|支|台|条|双|个|份|箱|袋|包|斤)[^，。！？；,.!?;]{0,6}$")
_LEADING_BOUNDARY = "(?<![a-z])"


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    # Each expression, and when the engine cannot skip to its matches by itself, the same behind its class
    # of first characters (prefilter.anchored).
    finders: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]
    exceptions: re.Pattern[str] | None
    # The same one by one: the alternation takes the first exception matching at a place, and a longer one
    # there may be the one that holds the match (粉丝群 before 粉丝群里有福利).
    each_exception: tuple[re.Pattern[str], ...]
    # The exceptions that can reach over a clause stop (written with [^。！？；]): they may start in the
    # clause before (这几款奶嘴里，圆孔的流速最慢).
    reaching: tuple[re.Pattern[str], ...]
    # The characters the exceptions can start with (None: not worked out): where none is between the clause's
    # start and the match's, no exception can hold the match.
    exception_starts: re.Pattern[str] | None = None
    # The exceptions behind that class (prefilter.anchored), where it is narrow: the engine then skips in C to
    # where one may start instead of trying them all at every place of the clause.
    wrapped_exceptions: re.Pattern[str] | None = None
    # For each finder, the ``match`` of its alternatives that can start with a character, by the character
    # (prefilter.Alternatives.dispatch); empty for the built-in checks, whose matches are read for their groups,
    # and for expressions of few alternatives.
    dispatch: tuple[dict[str, Callable[[str, int], re.Match[str] | None]], ...] = ()
    # The rule's message and suggestion for the words matched, made once per wording.
    texts: dict[str, tuple[Message, Message | str]] = field(default_factory=dict)


def _trie_expression(words: Sequence[str]) -> str:
    """One expression for many words, factored by their first characters.

    Every branch starts with a literal, so the regular-expression engine skips
    to the next possible first character in C rather than trying each word at
    each position; an English word gets its word boundary after its first
    letter (``b(?<![a-z]b)est``) so that the branch still starts with one.
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def expression(node: dict, depth: int, first: str) -> str:  # type: ignore[type-arg]
        branches = []
        ends = "" in node
        for char in sorted(k for k in node if k):
            piece = " ?" if char == " " else re.escape(char)
            if depth == 0 and char.isascii() and char.isalpha():
                piece += f"(?<![a-z]{re.escape(char)})"
            rest = expression(node[char], depth + 1, first or char)
            branches.append(piece + rest)
        if ends and first.isascii() and first.isalpha():
            # A word that ends here ends at a word boundary when it is English.
            ending = "(?![a-z])"
        else:
            ending = ""
        if not branches:
            return ending
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body}|{ending})" if ending else f"(?:{body})?"
        return body

    return expression(trie, 0, "")


def _finders(rule: Rule) -> list[re.Pattern[str]]:
    builtin = {"phone": (_MOBILE, _CONTACT_NUMBER), "wechat_id": (_WECHAT_ID, _V_ID), "qq_id": (_QQ_ID,),
               "price_reference": (_PRICE_REFERENCE, _IMPLIED_ORIGINAL), "live_price": (_LIVE_PRICE,), "stock_claim": (_STOCK_CLAIM,),
               "discount": (_DISCOUNT, _SAVING, _CUT)}
    finders: list[re.Pattern[str]] = []
    if rule.check is not None:
        finders.extend(builtin[rule.check])
    # A rule's patterns and words in one expression: one pass over the text instead of one each (the
    # engine checks each branch's first character in C before entering it).
    # The text is read with Traditional characters as Simplified (normalize.py): so are the rule's own.
    alternatives = [_letter_first(simplified(pattern)) for pattern in rule.patterns]
    if rule.words:
        alternatives.append(_trie_expression([simplified(word) for word in rule.words]))
    if alternatives:
        try:
            finders.append(re.compile("|".join(alternatives)))
        except re.error:   # patterns that cannot share one expression (inline flags, equal group names)
            finders.extend(re.compile(a) for a in alternatives)
    return finders


def _compile(rule: Rule, finders: Sequence[re.Pattern[str]], covered: Sequence[bool],
             dispatch: Sequence[dict[str, Callable[[str, int], re.Match[str] | None]]]) -> _Compiled:
    # A finder the candidates do not cover is run by the engine, behind its class of first characters.
    # The text is read with Traditional characters as Simplified (normalize.py): so are the rule's exceptions.
    written = [simplified(e) for e in rule.exceptions]
    exceptions = re.compile("|".join(f"(?:{e})" for e in written)) if written else None
    each = tuple(re.compile(e) for e in written) if len(written) > 1 else ()
    reaching = tuple(re.compile(e) for e in written if _CLAUSE_OPEN.search(e))
    starts = start_class(exceptions) if exceptions is not None else None
    wrapped = None
    if exceptions is not None and starts is not None and needs_filter(exceptions):
        firsts = prefilter.pair_summary(exceptions)[0]
        wrapped = prefilter.anchored(exceptions, starts) if prefilter.size(firsts) <= _WRAP_AT_MOST else None
    return _Compiled(rule, tuple((f, None if c else _anchored(f)) for f, c in zip(finders, covered)), exceptions,
                     each, reaching, starts, wrapped, tuple(dispatch))


# Exceptions that can start with more characters than this (a class of all Chinese characters) are run as
# they are: behind their class the engine would stop at nearly every place anyway.
_WRAP_AT_MOST = 512


# A class that excludes the sentence stops but not the comma.
_CLAUSE_OPEN = re.compile(r"\[\^(?![^\]]*[，,])[^\]]*\]")


def _anchored(finder: re.Pattern[str]) -> re.Pattern[str] | None:
    if not needs_filter(finder):
        return None
    starts = start_class(finder)
    return None if starts is None else prefilter.anchored(finder, starts)


def _letter_first(pattern: str) -> str:
    """``(?<![a-z])best...`` as ``b(?<![a-z]b)est...``: the same matches, and the engine can skip ahead."""
    if pattern.startswith(_LEADING_BOUNDARY) and len(pattern) > len(_LEADING_BOUNDARY):
        letter = pattern[len(_LEADING_BOUNDARY)]
        if letter.isascii() and letter.isalpha():
            return f"{letter}(?<![a-z]{letter}){pattern[len(_LEADING_BOUNDARY) + 1:]}"
    return pattern


def _matches(compiled: _Compiled, text: str,
             places: Sequence[list[int] | None] | None = None) -> list[tuple[int, int, re.Match[str]]]:
    """(start, end, match) of all of a rule's expressions, left to right, none overlapping (the longest at a place).

    ``places``, when given, holds for each finder the places where it may start a match (prefilter.Candidates),
    or None for a finder they do not cover.
    """
    finders = compiled.finders
    every: list[tuple[int, int, re.Match[str]]] = []
    for k, (finder, wrapped) in enumerate(finders):
        at = places[k] if places is not None else None
        if at is not None:
            every.extend(_matched_at(finder, compiled.dispatch[k] if compiled.dispatch else {}, text, at))
        elif wrapped is None:
            every.extend((m.start(), m.end(), m) for m in finder.finditer(text) if m.end() > m.start())
        else:
            every.extend(prefilter.spans(wrapped, text))
    if len(finders) == 1:
        return every
    every.sort(key=lambda m: (m[0], -m[1]))
    kept: list[tuple[int, int, re.Match[str]]] = []
    for match in every:
        if not kept or match[0] >= kept[-1][1]:
            kept.append(match)
    return kept


def _matched_at(finder: re.Pattern[str], by_first: dict[str, Callable[[str, int], re.Match[str] | None]],
                text: str, places: list[int]) -> list[tuple[int, int, re.Match[str]]]:
    """The matches of ``finder`` tried at ``places`` (where it may start, in order): the same as its
    ``finditer`` for a finder that never matches empty, each tried with only the alternatives that can start
    with the character there (``by_first``: prefilter.Alternatives.dispatch)."""
    out: list[tuple[int, int, re.Match[str]]] = []
    reached = 0
    if by_first:
        default, choose = finder.match, by_first.get
        for at in places:
            if at < reached:
                continue
            found = choose(text[at], default)(text, at)
            if found is not None:
                end = found.end()
                if end > at:
                    out.append((at, end, found))
                    reached = end
    else:
        match = finder.match
        for at in places:
            if at < reached:
                continue
            found = match(text, at)
            if found is not None:
                end = found.end()
                if end > at:
                    out.append((at, end, found))
                    reached = end
    return out


@dataclass(frozen=True, eq=False)
class _CompiledPack:
    rules: tuple[_Compiled, ...]
    # Where each rule's finders may start a match, for all of them at once (over every rule's finders in
    # order; ``first[i]`` is where rule i's begin).
    candidates: prefilter.Candidates
    first: tuple[int, ...]
    # The rules all of whose finders the candidates cover: where none of them may start, the rule is passed over.
    all_covered: frozenset[int]


# An expression of fewer alternatives is tried whole at each candidate: picking its alternatives by the
# character there costs about what it saves, and compiling them takes time.
_DISPATCH_FROM = 16


@lru_cache(maxsize=8)
def _compiled_pack(pack: RulePack) -> _CompiledPack:
    # Compiling a pack takes about a second; every checker of the same pack shares the result.
    per_rule = [_finders(rule) for rule in pack.rules]
    finders: list[re.Pattern[str]] = []
    summaries: list[Any] = []
    dispatch: list[dict[str, Callable[[str, int], re.Match[str] | None]]] = []
    first: list[int] = []
    for rule, own in zip(pack.rules, per_rule):
        first.append(len(finders))
        for finder in own:
            finders.append(finder)
            # The built-in checks' matches are read for their groups: tried whole.
            split = prefilter.Alternatives(finder) if rule.check is None else None
            summaries.append(split.summary() if split is not None else None)
            dispatch.append(split.dispatch() if split is not None and len(split.pieces) >= _DISPATCH_FROM else {})
    candidates = prefilter.Candidates(finders, summaries)
    rules = []
    for index, (rule, own) in enumerate(zip(pack.rules, per_rule)):
        span = range(first[index], first[index] + len(own))
        rules.append(_compile(rule, own, [k in candidates.covers for k in span], [dispatch[k] for k in span]))
    covered = frozenset(i for i, c in enumerate(rules)
                        if all(first[i] + k in candidates.covers for k in range(len(c.finders))))
    return _CompiledPack(tuple(rules), candidates, tuple(first), covered)


def _compiled(pack: RulePack) -> tuple[_Compiled, ...]:
    return _compiled_pack(pack).rules


def _pack_text(value: Localized, matched: str) -> Message:
    # The pack's wording comes in both languages; {text} is the words the anchor wrote.
    filled = Localized(tuple((lang, words.replace("{text}", matched)) for lang, words in value.texts))
    return msg("compliance.rule_text", "{text}", text=filled)


class Checker:
    """A rule pack compiled once; :meth:`check` many times (the editor, the approval, the CLI).

    A checker remembers the last text it checked and the facts it checked it
    with, so give each editor its own; it is not for sharing between threads.
    The compiled pack is shared by every checker of the same pack.
    """

    def __init__(self, pack: RulePack, opinion: Opinion | None | bool = True) -> None:
        self.pack = pack
        compiled = _compiled_pack(pack)
        self._rules = compiled.rules
        self._candidates = compiled.candidates
        self._first = compiled.first
        self._all_covered = compiled.all_covered
        self._last: tuple[str, ProductFacts | None, tuple[Finding, ...]] | None = None
        # The second opinion (opinion.py): the one shipped by default, another given, or none (False).
        self.opinion = default_opinion() if opinion is True else (opinion or None)
        self._keeps = frozenset(c.rule.id for c in self._rules if c.rule.check in _opinion.KEEPS)
        references: dict[str, str] = {}
        for c in self._rules:
            references.setdefault(c.rule.category, c.rule.reference)
        self._references = references

    # --- the public interface -------------------------------------------------------

    def check(self, text: str, product: ProductFacts | None = None) -> list[Finding]:
        """Every finding in ``text``, sorted by start; re-uses the last check when only an edit lies between."""
        last = self._last
        if last is not None and last[1] == product and last[0] != text:
            return self.recheck(last[0], list(last[2]), text, product)
        if last is not None and last[1] == product and last[0] == text:
            return list(last[2])
        findings = self._scan(text, 0, len(text), product)
        self._last = (text, product, tuple(findings))
        return findings

    def recheck(self, old_text: str, old_findings: Sequence[Finding], new_text: str,
                product: ProductFacts | None = None) -> list[Finding]:
        """The findings of ``new_text``, given those of ``old_text``: only the edited sentences are checked again.

        ``old_findings`` must be this pack's findings of ``old_text`` with the same ``product``.
        """
        prefix = _common_prefix(old_text, new_text)
        suffix = _common_suffix(old_text, new_text, prefix)
        old_end = len(old_text) - suffix
        new_end = len(new_text) - suffix
        start = _sentence_start(new_text, prefix)
        stop_new = _sentence_end(new_text, new_end)
        delta = len(new_text) - len(old_text)
        stop_old = stop_new - delta
        kept_before = [f for f in old_findings if f.end <= start and f.start < start]
        kept_after = [f.shifted(delta) for f in old_findings if f.start >= stop_old and f.start >= old_end]
        middle = self._scan(new_text, start, stop_new, product)
        findings = sorted([*kept_before, *middle, *kept_after], key=_order)
        self._last = (new_text, product, tuple(findings))
        return findings

    # --- scanning -------------------------------------------------------------------

    def _scan(self, text: str, start: int, stop: int, product: ProductFacts | None) -> list[Finding]:
        if start >= stop:
            return []
        window = text[start:stop]
        norm = normalize(window)
        found: list[Finding] = []
        category = product_kind(product.category) if product is not None else None
        # Where each clause ends, found once: a match's clause is then two bisections away.
        stops = _clause_stops(norm.text)
        at: list[int] = []   # where each finding starts in the normalised text
        # Where a check against the product's facts matched, found or not, and where a rule's words were cleared by
        # their context: the facts, or the rule's exceptions and negations, have spoken there for that category.
        judged: list[tuple[int, str]] = []
        places = self._candidates.find(norm.text)
        for index, compiled in enumerate(self._rules):
            if category and category in compiled.rule.skip_categories:
                continue
            first = self._first[index]
            rule_places = places[first:first + len(compiled.finders)]
            if index in self._all_covered and not any(rule_places):
                continue   # none of its expressions may start anywhere here
            facts_check = compiled.rule.id in self._keeps
            for ms, me, match in _matches(compiled, norm.text, rule_places):
                finding = self._judge(compiled, ms, me, match, norm, window, product, stops, start)
                if finding is not None:
                    found.append(finding)
                    at.append(ms)
                # A facts check has spoken wherever it matched; any rule has where its context cleared its words
                # (天花板比较低的家里: a real ceiling; 这不是药品).
                if facts_check or finding is None:
                    judged.append((ms, compiled.rule.category))
        if self.opinion is not None and norm.text:
            found = self._second_opinion(found, at, judged, norm, window, start)
        return _settle(found)

    def _second_opinion(self, found: list[Finding], at: list[int], judged: list[tuple[int, str]], norm: Normalized,
                        window: str, offset: int) -> list[Finding]:
        """The rules' findings with the second opinion's: blocks lowered where it reads no claim, blocks added
        where it reads one no rule blocks (opinion.py)."""
        opinion = self.opinion
        assert opinion is not None
        ids, scores = opinion.scores(norm.text)
        # Each finding's sentence, and each facts check's, looked up at once.
        sentences = ids[np.asarray(at + [ms for ms, _ in judged], dtype=np.int64)].tolist() if at or judged else []
        # What the sentence's words say for or against each category, the bias left out: a sentence the model
        # knows little of (a new way of saying a claim, which a rule was written for) is not lowered.
        evidence = scores - opinion.bias
        lowers = opinion.lowers_below.tolist()
        # Nothing is added where a check against the facts has judged the sentence for that category.
        blocked = {(sentence, category) for sentence, (_, category) in zip(sentences[len(at):], judged)}
        out = []
        for finding, sentence in zip(found, sentences):
            if finding.blocks:
                column = _COLUMN[finding.category]
                score = float(evidence[sentence, column])
                if score < lowers[column] and finding.rule not in self._keeps:
                    finding = Finding(finding.category, WARN, finding.start, finding.end, finding.text, finding.rule,
                                      _opinion.lowered_message(finding.message), finding.reference,
                                      finding.suggestion, (*finding.evidence, ("second_opinion", round(score, 2))))
                else:
                    blocked.add((sentence, finding.category))
            out.append(finding)
        rows, columns = np.nonzero(scores[:, _ADD_COLUMNS] > opinion.adds_above[_ADD_COLUMNS])
        edges: list[int] | None = None
        for sentence, column in zip(rows.tolist(), columns.tolist()):
            category = CATEGORIES[_ADD_COLUMNS[column]]
            if (sentence, category) in blocked:
                continue
            if edges is None:
                # Where each sentence begins (and the last ends), found once: ids are the sentences in order.
                edges = np.searchsorted(ids, np.arange(len(scores) + 1)).tolist()
            first, last = edges[sentence], edges[sentence + 1]
            text = norm.text
            while last > first and (text[last - 1] in _SENTENCE_TRIM):
                last -= 1
            while first < last and text[first] in _SENTENCE_TRIM:
                first += 1
            # Nor to a question: its answer, in the next sentence, may be no (能治失眠吗？治不了).
            if first >= last or (last < len(text) and text[last] in _QUESTION_STOPS):
                continue
            # Nor to a sentence that disclaims, will not vouch, or disowns (我不敢说它是最好的, 普洱茶唔能降血脂嘅): the
            # model reads words, not what a negation does to them; the rules' own context knows.
            if _disclaims(text, first, last):
                continue
            # Nor where the sentence itself says what settles it: a recovery credited to a doctor's medicine, the
            # next batch coming (卖光了就得等下批货到了).
            settles = _SETTLES.get(category)
            if settles is not None and settles.search(text, first, last):
                continue
            begin, end = norm.span(first, last)
            out.append(Finding(category, BLOCK, begin + offset, end + offset, window[begin:end],
                               f"{category}.second_opinion", _opinion.added_message(category),
                               self._references.get(category, ""), _opinion.added_suggestion(),
                               (("second_opinion", round(float(scores[sentence, _ADD_COLUMNS[column]]), 2)),)))
        return out

    def _judge(self, compiled: _Compiled, ms: int, me: int, match: re.Match[str], norm: Normalized, window: str,
               product: ProductFacts | None, stops: list[int], offset: int) -> Finding | None:
        rule = compiled.rule
        text = norm.text
        # The clause around the match (within 40 characters each way): between the stops before and after it.
        k = bisect_left(stops, ms)
        clause_start = max(stops[k - 1] + 1 if k else 0, ms - 40)
        k = bisect_left(stops, me, k)
        clause_end = min(stops[k] if k < len(stops) else len(text), me + 40)
        if compiled.exceptions is not None and (
                _excepted(compiled, text, clause_start, clause_end, ms, me)
                or (compiled.reaching and _reached(compiled, text, stops, clause_start, clause_end, ms, me))):
            return None
        after = text[clause_end] if clause_end < len(text) else ""
        # A question the next sentence answers no is no claim, whatever the rule (是天花板？不至于).
        if after in _QUESTION_STOPS and _answered_no(text, clause_end):
            return None
        if rule.negatable:
            # _negated, _disowned and _disowned_next, each called only where it can say yes: a negation's or a
            # disowning's first character in reach, a comma after the clause.
            reach = min(clause_end, me + _DISOWNED_REACH)
            if ((_NEGATION_STARTS is None
                 or _NEGATION_STARTS.search(text, max(clause_start, ms - _NEGATION_REACH), ms) is not None)
                    and _negated(text, clause_start, ms)):
                return None
            if ((_DISOWNED_STARTS is None or _DISOWNED_STARTS.search(text, me, reach) is not None)
                    and _disowned(text, me, reach)):
                return None
            if _DISOWNED_AT.match(text, me, clause_end):
                return None   # 治病是没有的
            if after in _CLAUSE_STOPS and _disowned_next(text, clause_end):
                return None
        start, end = norm.span(ms, me)
        written = window[start:end]
        severity = rule.severity
        texts = compiled.texts.get(written)
        if texts is None:
            texts = compiled.texts[written] = (
                _pack_text(rule.message, written),
                "" if rule.suggestion is None else _pack_text(rule.suggestion, written))
        message, suggestion = texts
        evidence: tuple[tuple[str, Any], ...] = ()
        if rule.check is not None:
            judged = _CHECKS[rule.check](match, product)
            if judged is False:
                return None
            if judged is not None:
                severity, judged_message, evidence = judged
                message = judged_message or message
        elif rule.category == "medical" and product is not None:
            severity, message = _medical(rule, written, product, severity, message)
        return Finding(rule.category, severity, start + offset, end + offset, written, rule.id, message,
                       rule.reference, suggestion, evidence)


# --- context ------------------------------------------------------------------------


def _clause_stops(text: str) -> list[int]:
    """Where each clause ends (the places of _CLAUSE_STOPS): by one table look-up over a long text."""
    if len(text) < 64:
        return [m.start() for m in _CLAUSE_STOP.finditer(text)]
    points = np.minimum(np.frombuffer(text.encode("utf-32-le"), dtype="<u4"), 0xFFFF)
    return np.flatnonzero(np.take(_IS_CLAUSE_STOP, points)).tolist()   # type: ignore[no-any-return]


def _reached(compiled: _Compiled, text: str, stops: list[int], clause_start: int, clause_end: int, ms: int,
             me: int) -> bool:
    """Whether an exception starting in the clause before holds the match (这几款奶嘴里，圆孔的流速最慢).

    Never across a sentence stop, so an edit still changes only the findings of the sentences it touches.
    """
    before = clause_start - 1
    if before < 0 or text[before] in SENTENCE_STOPS:
        return False
    k = bisect_left(stops, before)
    start = max(stops[k - 1] + 1 if k else 0, ms - 40)
    starts = compiled.exception_starts
    if starts is not None and starts.search(text, start, ms + 1) is None:
        return False   # (the reaching ones are among the exceptions)
    return _one_holds(compiled.reaching, text, start, clause_end, ms, me)


def _one_holds(exceptions: Sequence[re.Pattern[str]], text: str, start: int, end: int, ms: int, me: int) -> bool:
    """Whether one of ``exceptions``, tried one by one in ``text[start:end]``, starts at or before the match and
    reaches its end."""
    for single in exceptions:
        for exception in single.finditer(text, start, end):
            if exception.start() > ms:
                break
            if exception.end() >= me:
                return True
    return False


def _answered_no(text: str, clause_end: int) -> bool:
    """Whether the match's clause is a question and the next sentence begins by saying no."""
    return (clause_end < len(text) and text[clause_end] in _QUESTION_STOPS
            and _ANSWERED_NO.match(text, clause_end + 1) is not None)


def _disowned(text: str, me: int, reach: int) -> bool:
    """Whether the claim is disowned later in its clause, within reach of the match's end."""
    if _DISOWNED_STARTS is not None and _DISOWNED_STARTS.search(text, me, reach) is None:
        return False
    return _DISOWNED.search(text, me, reach) is not None


def _disowned_next(text: str, clause_end: int) -> bool:
    """Whether the next clause of the match's sentence begins by disowning the claim."""
    return (clause_end < len(text) and text[clause_end] in _CLAUSE_STOPS and text[clause_end] not in SENTENCE_STOPS
            and _DISOWNED_NEXT.match(text, clause_end + 1) is not None)


def _excepted(compiled: _Compiled, text: str, start: int, end: int, ms: int, me: int) -> bool:
    """Whether one of the rule's exceptions matches around the whole of ``text[ms:me]`` in its clause."""
    assert compiled.exceptions is not None
    starts = compiled.exception_starts
    if starts is not None and starts.search(text, start, ms + 1) is None:
        return False   # none starts at or before the match: none holds it
    seen = False
    wrapped = compiled.wrapped_exceptions
    if wrapped is not None:
        # The same matches as finditer's (prefilter.spans, in the clause): one starting inside the last is passed.
        reached = start
        for found in wrapped.finditer(text, start, end):
            at, stop = found.span(prefilter.GROUP)
            if at > ms:
                break
            if at < reached or stop <= at:
                continue
            if stop >= me:
                return True
            seen, reached = True, stop
    else:
        for exception in compiled.exceptions.finditer(text, start, end):
            if exception.start() > ms:
                break
            if exception.end() >= me:
                return True
            seen = True
    if not seen:
        # No exception starts at or before the match (an alternation that matches at a place is found there),
        # so none one by one either.
        return False
    return _one_holds(compiled.each_exception, text, start, end, ms, me)


# Not vouching for a result (我不敢保证…, 保证不了), and the Cantonese negations (唔能, 唔会, 唔系, 冇).
_NOT_VOUCHING = re.compile(r"(?:不敢|没法|不能|不)(?:保证|担保|打包票|打保票)|保证不了|打不了包票|唔(?:能|会|系)|冇")


# What, said in a sentence, settles it for a category whatever else the words suggest.
_SETTLES = {
    "medical": re.compile(r"(?<!比)(?:医生|医院|大夫|诊所)(?:给|帮)?(?:开的|配的)(?:药|方子)|(?:按时|按医嘱)吃药|"
                          r"(?<!不用)(?<!不)(?:吃了药|打了针|看了医生|去了医院)"),
    "scarcity": re.compile(r"(?:等|有)(?:下|下一)批|(?:马上|很快|明天|过两天|下周)(?:就)?(?:补货|到货|返场)|还会(?:补货|返场)"),
}


def _disclaims(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` disclaims, does not vouch for, or disowns what it says."""
    if (_DISCLAIMERS.search(text, start, end) or _NOT_VOUCHING.search(text, start, end)
            or _DISOWNED.search(text, start, end)):
        return True
    return any(_DISOWNED_NEXT.match(text, m.end(), end) for m in _COMMA.finditer(text, start, end))


def _negated(text: str, clause_start: int, ms: int) -> bool:
    begin = max(clause_start, ms - _NEGATION_REACH)
    if _NEGATION_STARTS is not None and _NEGATION_STARTS.search(text, begin, ms) is None:
        return False
    last = None
    # Searched in place (pos/endpos), so that look-behinds see the character before the window.
    for last in _NEGATION.finditer(text, begin, ms):
        pass
    if last is None:
        return False
    if _DISCLAIMERS.search(text, begin, ms):
        return True
    return _REVERSAL.search(text, last.end(), ms) is None


def _medical(rule: Rule, written: str, product: ProductFacts, severity: str,
             message: Message) -> tuple[str, Message]:
    if product.medical_allowed:
        return WARN, msg("compliance.medical_allowed_category",
                         "“{text}” is a medical claim: this product's category may make one, but only as its "
                         "registration states it.", text=written)
    if product.category:
        return BLOCK, msg("compliance.medical_not_allowed",
                          "“{text}” is a medical claim, and a {category} product may make none.",
                          text=written, category=product.category)
    return severity, message


# --- the built-in checks against the product's facts ---------------------------------------

# (severity, message or None for the rule's own, evidence); None: the rule's severity and message; False: no finding.
Judged = tuple[str, Message | None, tuple[tuple[str, Any], ...]] | None | bool


def _check_price_reference(match: re.Match[str], product: ProductFacts | None) -> Judged:
    if match.re is _IMPLIED_ORIGINAL:
        said = _AMOUNT_BEFORE.search(match.string, max(0, match.start() - 14), match.start())
        if said is None:
            return False
        label, is_counter = "", False
    else:
        said = match
        label = match.group("label")
        is_counter = match.group("at") is not None or label.replace(" ", "") in _COUNTER_LABELS_UNSPACED
    if product is None:
        return None   # the pack's own severity and words: say only an evidenced price
    stated = fen(said.group("amount"))
    if stated is None:
        return False
    if said is not match and stated == product.counter_price_fen:
        return False   # 999的今天只要699: an implied price may be the counter's own
    if said.group("more"):
        # 两千多: from 2000 up to the next 1000; backed when the evidenced price lies in that range.
        step = _approximate_step(stated)
        if is_counter and product.counter_price_fen is not None and stated <= product.counter_price_fen < stated + step:
            return False
        if not is_counter and product.lowest_7d_fen is not None and stated <= product.lowest_7d_fen:
            return False
    counter, lowest = product.counter_price_fen, product.lowest_7d_fen
    said = Money(stated)
    if is_counter:
        if counter is None:
            return BLOCK, msg("compliance.price_no_evidence",
                              "The catalog has no evidenced counter price for this product, so “{label} {said}” "
                              "cannot be said.", label=label, said=said), (("counter_price_fen", None),)
        if stated != counter:
            return BLOCK, msg("compliance.price_counter_differs",
                              "You say the counter price is {said}, but the catalog's evidenced counter price is "
                              "{counter}.", said=said, counter=Money(counter)), (("counter_price_fen", counter),)
        return False
    if lowest is not None:
        if stated > lowest:
            return BLOCK, msg("compliance.price_above_7d_lowest",
                              "You give {said} as the original price, but the lowest price of the last 7 days was "
                              "{lowest}: an original price may not be higher.",
                              said=said, lowest=Money(lowest)), (("lowest_7d_fen", lowest),)
        return False
    if counter is not None:
        if stated != counter:
            return BLOCK, msg("compliance.price_counter_differs",
                              "You say the counter price is {said}, but the catalog's evidenced counter price is "
                              "{counter}.", said=said, counter=Money(counter)), (("counter_price_fen", counter),)
        return False
    return BLOCK, msg("compliance.price_original_no_evidence",
                      "Neither an evidenced counter price nor a 7-day price history backs the original price "
                      "{said}.", said=said), (("lowest_7d_fen", None),)


def _approximate_step(stated_fen: int) -> int:
    """The span "多" adds to an amount: 两千多 a thousand, 一百二十多 ten, 四百多 a hundred."""
    step = 100
    while stated_fen % (step * 10) == 0 and step < stated_fen:
        step *= 10
    return step


def _check_live_price(match: re.Match[str], product: ProductFacts | None) -> Judged:
    if product is None or product.live_price_fen is None:
        return False
    stated = fen(match.group("amount"))
    if stated is None or stated == product.live_price_fen:
        return False
    return WARN, msg("compliance.live_price_differs",
                     "You say {said}, but the live price is {live}; write {{live_price}} so the price shown is "
                     "always the current one.", said=Money(stated), live=Money(product.live_price_fen)), (
        ("live_price_fen", product.live_price_fen),)


def _check_stock(match: re.Match[str], product: ProductFacts | None) -> Judged:
    stated = amount_value(match.group("amount").replace("几", "九").replace("来", "九"))
    if stated is None:
        return False
    if product is None:
        return None
    if product.stock is None:
        # The product is known but its stock is not: a count of what is left cannot be backed.
        return BLOCK, None, (("stock", None),)
    if product.stock > stated and not _variants_add_up(match, product.stock):
        return BLOCK, msg_stock(int(stated), product.stock), (("stock", product.stock),)
    return False


# M码还剩十四条，L码还有三十条: counts of the sizes or colours, true when together they are the stock.
_VARIANT_COUNT = re.compile(r"(?:码|号|色|款)(?:的)?(?:还剩下?|还有|只剩下?|剩下?|有)(\d{1,5}|[一二两三四五六七八九十百千]{1,4})")


def _variants_add_up(match: re.Match[str], stock: int) -> bool:
    text = match.string
    start = max((text.rfind(c, 0, match.start()) for c in "。！？!?\n"), default=-1) + 1
    end = min((i for i in (text.find(c, match.end()) for c in "。！？!?\n") if i >= 0), default=len(text))
    counts = [amount_value(m.group(1)) for m in _VARIANT_COUNT.finditer(text, start, end)]
    return len(counts) > 1 and None not in counts and sum(counts) == stock


def msg_stock(stated: int, stock: int) -> Message:
    return msg("compliance.stock_differs",
               "You say only {stated} are left, but the stock shows {stock}: that is invented scarcity; "
               "write {{stock}} instead.", stated=stated, stock=stock)


def _discount_ratio(match: re.Match[str]) -> float | None:
    """What a discount leaves to pay: 三折 0.3, 八五折 0.85, 8.5折 0.85, 半价 0.5."""
    if match.group("half") is not None:
        if _HALF_BEFORE.search(match.string, max(0, match.start() - 3), match.start()):
            return 0.5
        # match.end() may be a prefilter's one-character span: the empty group ends where the word does.
        return 0.5 if _HALF_ALONE.match(match.string, match.end("half")) else None
    written = match.group("amount")
    if written.isdigit() and len(written) == 2:
        value = int(written) / 10
    elif not written.isascii() and len(written) == 2:
        value = _CN_DIGIT[written[0]] + _CN_DIGIT[written[1]] / 10
    elif not written.isascii():
        value = _CN_DIGIT[written]
    else:
        value = float(written)
    if match.group("tenth"):
        value += _CN_DIGIT[match.group("tenth")] / 10
    return value / 10 if 0 < value < 10 else None


_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_DEEP_DISCOUNT = 0.3


def _check_discount(match: re.Match[str], product: ProductFacts | None) -> Judged:
    if match.re is _SAVING:
        return _check_saving(match, product)
    if match.re is _CUT:
        return _check_cut(match, product)
    ratio = _discount_ratio(match)
    if ratio is None:
        return False
    if product is None:
        return None
    references = [p for p in (product.counter_price_fen, product.lowest_7d_fen) if p]
    if not references:
        # A discount says what the price was, and no evidenced price backs it: 一折 to 三折 is the invented kind
        # (a thousand-yuan bottle for a hundred) and blocks; a milder one is for the anchor to check.
        if ratio <= _DEEP_DISCOUNT:
            return BLOCK, None, (("counter_price_fen", None), ("lowest_7d_fen", None))
        return None
    live = product.live_price_fen
    if live is None:
        return None
    # Backed when the live price is at most the stated share of an evidenced price (with a little rounding).
    if any(live <= reference * ratio * 1.05 + 100 for reference in references):
        return False
    return BLOCK, None, (("counter_price_fen", product.counter_price_fen), ("lowest_7d_fen", product.lowest_7d_fen),
                         ("live_price_fen", live))


def _check_saving(match: re.Match[str], product: ProductFacts | None) -> Judged:
    if product is None:
        return None
    original = match.group("place") in ("原价", "日常价", "平时", "平常")
    reference = product.lowest_7d_fen if original else product.counter_price_fen
    if reference is None:
        if match.group("saving") is None and match.group("half") is None:
            return None   # 比平时便宜一些: no amount to back, for the anchor to check
        return BLOCK, None, (("lowest_7d_fen" if original else "counter_price_fen", None),)
    live = product.live_price_fen
    if live is None:
        return None
    below = reference - live
    if match.group("half") is not None:
        backed = live <= reference * 0.5 * 1.05 + 100
    elif match.group("saving") is not None:
        said = fen(match.group("saving"))
        if said is None:
            return False
        # Saying less than the real saving is no harm; 一千多 is at least a thousand.
        backed = below >= said * 0.95 - 100
    else:
        backed = below > 0
    if backed:
        return False
    return BLOCK, None, (("counter_price_fen" if not original else "lowest_7d_fen", reference),
                         ("live_price_fen", live))


def _check_cut(match: re.Match[str], product: ProductFacts | None) -> Judged:
    said = fen(match.group("saving"))
    if said is None:
        return False
    begin = match.start("saving")
    pieces = _PIECES.search(match.string, max(0, begin - 14), begin)
    if pieces is not None:
        said //= int(amount_value(pieces.group("count")) or 1)
    if product is None or product.live_price_fen is None:
        return None
    references = [p for p in (product.counter_price_fen, product.lowest_7d_fen) if p]
    if not references:
        return None   # a coupon the catalog does not know of: for the anchor to check
    if any(reference - product.live_price_fen >= said * 0.95 - 100 for reference in references):
        return False
    return BLOCK, None, (("counter_price_fen", product.counter_price_fen), ("lowest_7d_fen", product.lowest_7d_fen),
                         ("live_price_fen", product.live_price_fen))


def _check_contact(match: re.Match[str], product: ProductFacts | None) -> Judged:
    return None


_CHECKS: dict[str, Callable[[re.Match[str], ProductFacts | None], Judged]] = {
    "price_reference": _check_price_reference,
    "live_price": _check_live_price,
    "stock_claim": _check_stock,
    "discount": _check_discount,
    "phone": _check_contact,
    "wechat_id": _check_contact,
    "qq_id": _check_contact,
}


# --- helpers --------------------------------------------------------------------------------


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.rule


def _settle(found: list[Finding]) -> list[Finding]:
    """Sorted; a finding inside another of its category is left out, unless it blocks and the other warns."""
    found.sort(key=lambda f: (f.start, f.start - f.end, 0 if f.severity == BLOCK else 1))
    kept: list[Finding] = []
    # Sorted by start, a finding's container (if any) is the kept one of its category reaching furthest,
    # and the same for blocking ones.
    reach: dict[tuple[str, bool], int] = {}
    for finding in found:
        category, end, blocks = finding.category, finding.end, finding.severity == BLOCK
        if reach.get((category, True), -1) >= end:
            continue
        if not blocks and reach.get((category, False), -1) >= end:
            continue
        kept.append(finding)
        key = (category, blocks)
        if reach.get(key, -1) < end:
            reach[key] = end
    kept.sort(key=_order)
    return kept


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    low, high = 0, limit
    # Binary search on slices compares in C, far faster than a character loop on a long script.
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    limit = min(len(a), len(b)) - prefix
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            low = mid
        else:
            high = mid - 1
    return low


def _sentence_start(text: str, index: int) -> int:
    # Back past the sentence stop just before the edit too: deleting a stop joins two sentences.
    index = min(index, len(text))
    i = index - 1
    while i >= 0 and text[i] not in SENTENCE_STOPS:
        i -= 1
    # And back over questions before it: their findings depend on the answer (能减肥吗？不能).
    while i >= 0 and text[i] in _QUESTION_STOPS:
        i -= 1
        while i >= 0 and text[i] not in SENTENCE_STOPS:
            i -= 1
    return i + 1 if i >= 0 else 0


def _sentence_end(text: str, index: int) -> int:
    i = index
    while i < len(text) and text[i] not in SENTENCE_STOPS:
        i += 1
    # A question's findings depend on the answer after it: the answer is checked with it.
    while i < len(text) and text[i] in _QUESTION_STOPS:
        i += 1
        while i < len(text) and text[i] not in SENTENCE_STOPS:
            i += 1
    return min(len(text), i + 1)
