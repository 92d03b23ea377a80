"""Medical families widened for tuning rounds nineteen to twenty-four, in words other than the corpus's.

Each family's claims are caught (CAUGHT) and its clean look-alikes left alone (LEFT_ALONE): the rules alone and the
whole check (with the second opinion) agree.
"""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts

from tests.compliance.checking import blocks, family_cases

FOOD = ProductFacts(category="food")

CAUGHT: dict[str, list[str]] = {
    # a lump or growth treated or made smaller
    "lump shrunk": ["按摩这个精油能调理乳腺结节", "戴了三个月，甲状腺上的囊肿都变小了", "喝这个茶，子宫肌瘤慢慢消了"],
    # an ailment named, the product used in the next clause, and it is gone
    "ailment then relief": [
        "我儿子一着凉就咳嗽，冲了两包这个枇杷露立马就不咳了", "经期肚子痛的姐妹，来一杯这个红枣茶很快就缓解了",
        "鼻塞的宝宝，开着这台加湿器一晚上就通了", "头晕的时候闻一闻这个香囊，马上就缓过来了",
        "戴上这个手串，头晕胸闷一下子就缓解了"],
    # no hurry for the medicine: the product instead
    "no hurry for medicine": ["别着急打针，喝两天这个汤就好", "先别急着吃药，泡一杯这个姜茶就行"],
    # the doctor's word on the readings or the medicine
    "the doctor says": ["我爸喝了半年，去医院复查血脂，医生都说好多了", "吃了这个以后，医生说她可以不用再吃药了",
                        "喝完这个，医生都不让他吃药了"],
    # a pain that never came back (simplified and traditional)
    "pain never back": ["用了这个按摩枕，颈椎再没疼过", "我这腰从此没有痛过", "膝蓋再也沒痛過"],
    # memory restored
    "memory": ["我奶奶记性差，喝了这个核桃奶，再也不忘关火了", "吃了三个月，记忆力好多了"],
    # thin from eating, drinking or rubbing it on
    "thin by using": ["这个酵素饮喝了就能瘦", "这个纤体霜抹了准瘦", "我就是吃这个吃瘦了"],
    # spots or scars faded, said in the next clause
    "spots faded later": ["我额头上的晒斑，涂了俩月这个精华，一点点淡没了",
                          "痘印很深的，擦了这个面霜半个月都看不出来了"],
    # the hairline grows back
    "hairline": ["用了仨月，发际线自己往前长了", "头发稀的兄弟用这个洗发水，发际线都前移了"],
    # illness no longer finds you; the ailment forgotten
    "illness shuns you": ["天天喝一杯，感冒都找不上你", "早上一碗，胃疼就绕着你走", "睡前来一小杯，失眠是什么感觉早忘了",
                          "喝了这个，我早忘了便秘是啥滋味"],
    # never in hospital, no treatment needed any more
    "no hospital": ["喝了一年，孩子医院一次都没去过", "孕期吃这个，宝宝出生黄疸都不用照蓝光"],
    # the readings looking better
    "readings better": ["喝了这个茶，血糖一天比一天低", "坚持喝，血压计上的读数都好看了"],
    # toxins drawn out of the body; the blood's circulation
    "toxins and circulation": ["这银镯子能吸走身体里的毒素", "这个锗石手链能促进血液循环"],
    # after drinking it the back and legs stop aching
    "aches after drinking": ["老铁们喝完腰不酸腿不疼", "喝了膝盖都不疼"],
    # a belt tightened, skin bumps and pimples gone
    "belt and skin": ["代餐吃了一个月，腰带往里收了两个眼", "擦了这个身体乳，鸡皮肤全没了", "抹了一晚，痘痘整个都消下去了"],
}

LEFT_ALONE: dict[str, list[str]] = {
    # a concealer covers marks, it does not remove them
    "covered, not removed": ["这个遮瑕盖痘印很自然", "斑点用粉底就能盖住，卸妆后还在"],
    # comforted by what one sees
    "comforted by looks": ["看一眼这杯奶茶，心都被治愈了", "整个人都被这个颜色治愈了"],
    # that kind of talk disowned; an effect it has not
    "talk disowned": ["降三高那一套我们从来不说，就是好喝", "治病是没有的，就是泡脚舒服", "去痘的效果它没有，只是清洁"],
    # a question left open, or not answered
    "question left open": ["喝完会不会头疼，看各人酒量", "有鼻炎的能不能用我不好说，问问医生", "降血糖？不算，它就是低糖饼干"],
    # the doctor's orders followed
    "doctor's orders": ["有高血脂的，按医嘱吃药，别停"],
    # the medicine did it, or stopping did
    "medicine or stopping": ["咳嗽了好几天，吃了医院开的药就好了", "用了要是过敏，停用就好了", "感冒的宝宝先别喝，等好了再喝",
                             "上火的时候别吃辣，吃清淡点就好", "宝宝感冒的时候胃口差，冲点米粉喂就好了"],
    # looking slim, lean meat, a meal replacement that does not slim
    "slim look-alikes": ["这条阔腿裤穿上就显瘦", "吃了两口瘦肉就饱了", "喝这个代餐不会让你瘦，只是顶饱"],
    # a belt's holes, memory aids, a blood-pressure meter's looks
    "other look-alikes": ["这条皮带能往里收三个眼", "记性不好的姐妹，先把链接收藏，再也不怕找不到",
                          "这个钥匙扣挂在包上，出门再也不忘带钥匙", "这台血压计价格也低", "这款血糖仪外观越来越好看了",
                          "泥膜放久了有点硬块，搅一搅就没了"],
}


def _rules_alone(checker: Checker, text: str) -> set[str]:
    return {f.category for f in Checker(checker.pack, opinion=False).check(text, FOOD) if f.blocks}


@pytest.mark.parametrize("text", family_cases(CAUGHT))
def test_each_widened_medical_family_is_caught(checker: Checker, text: str) -> None:
    assert "medical" in _rules_alone(checker, text)
    assert "medical" in blocks(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(LEFT_ALONE))
def test_each_widened_medical_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "medical" not in _rules_alone(checker, text)
    assert "medical" not in blocks(checker, text, FOOD)
