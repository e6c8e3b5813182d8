"""NFKC normalisation with offsets, and web-page noise removal."""

from documents.parsing.normalize import iter_lines, nfkc_with_offsets, normalize


def test_it_folds_full_width_punctuation_and_keeps_offsets():
    original = "（一）推进数据共享，建设平台：2021年"
    norm = nfkc_with_offsets(original)
    assert norm.text == "(一)推进数据共享,建设平台:2021年"
    start = norm.text.index("建设平台")
    assert norm.to_original(start, start + 4) == (original.index("建设平台"), original.index("建设平台") + 4)


def test_it_keeps_circled_numbers_that_nfkc_would_turn_into_digits():
    assert nfkc_with_offsets("①建成平台").text == "①建成平台"


def test_it_maps_expanded_characters_back_to_their_source():
    original = "等…完成"
    norm = nfkc_with_offsets(original)
    assert norm.text == "等...完成"
    assert norm.to_original(1, 4) == (1, 2)
    assert norm.to_original(4, 6) == (2, 4)


def test_it_turns_crlf_into_lf_and_drops_zero_width_characters():
    norm = nfkc_with_offsets("\ufeff一、总体要求\r\n二、任务\r三、保障")
    assert norm.text == "一、总体要求\n二、任务\n三、保障"
    assert norm.original[norm.to_original(7, 8)[0]] == "二"


def test_it_removes_navigation_and_footer_noise():
    text = (
        "您现在的位置：首页 > 政务公开\n"
        "【字号：大 中 小】 打印本页 关闭窗口\n"
        "关于推进智慧园区建设的实施意见\n"
        "一、加快建设。推进园区数字化改造,建设统一平台。〔责任单位:市工信局〕\n"
        "分享到：\n微信\n扫一扫\n官方微博\n"
    )
    norm = normalize(text)
    assert "首页" not in norm.text
    assert "字号" not in norm.text
    assert "分享到" not in norm.text and "官方微博" not in norm.text
    assert "关于推进智慧园区建设的实施意见" in norm.text
    start = norm.text.index("推进园区")
    assert text[slice(*norm.to_original(start, start + 4))] == "推进园区"


def test_it_keeps_content_lines_that_mention_scanning_a_code():
    text = "一、推行扫一扫亮码通行,全面推广电子证照,方便群众办事,减少跑腿次数,提高办事效率和群众满意度。\n"
    assert normalize(text).text == text


def test_it_keeps_a_short_text_that_is_only_fragments():
    text = "当前位置:首页>通知\n市数据局\n市财政局\n"
    assert "市数据局" in normalize(text).text


def test_iter_lines_covers_every_line():
    text = "a\n\nbc\n"
    assert [text[s:e] for s, e in iter_lines(text)] == ["a", "", "bc"]
