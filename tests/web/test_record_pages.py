"""录入 at the seed network's street, both stores: a mistake comes back beside its
field with nothing recorded; corrected, the fact is recorded naming the clerk and
answers with its receipt; auditors and forged forms are refused."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from testdata import seed
from tests.web.conftest import csrf_of, sign_in
from web.record_forms import FORMS

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

FILING = {"name": "招宝山“书香”读书会", "filing_number": "招宝山街备2025-001",
          "category": "文体活动", "community": seed.COMMUNITIES[1],
          "person_name": "赵晓燕", "person_phone": "13812345678",
          "effective_on": "2025-03-01"}  # fmt: skip


def test_every_form_labels_every_input(street: TestClient) -> None:
    sign_in(street, "王秀英")
    for slug, form in FORMS.items():
        page = street.get(f"/web/record/{slug}").text
        for field in form.fields:
            assert f'<label class="label" for="{field.name}">' in page, (slug, field)
            assert f'id="{field.name}"' in page


def test_a_mistake_beside_its_field_then_the_receipt(street: TestClient) -> None:
    sign_in(street, "王秀英")
    token = csrf_of(street.get("/web/record/filing").text)
    wrong = street.post("/web/record/filing",
                        data={**FILING, "name": "", "csrf_token": token})  # fmt: skip
    assert wrong.status_code == 400
    assert 'id="name-error"' in wrong.text
    assert "请填写组织名称。" in wrong.text
    assert 'value="招宝山街备2025-001"' in wrong.text  # what was typed stays
    found = street.get("/web/registry", params={"q": "书香"})
    assert "共找到 0 个组织" in found.text  # nothing recorded
    right = street.post("/web/record/filing", data={**FILING, "csrf_token": token},
                        follow_redirects=False)  # fmt: skip
    assert right.status_code == 303
    receipt = street.get(right.headers["location"])
    assert 'id="receipt"' in receipt.text
    assert "user:王秀英" in receipt.text  # the fact names who recorded it
    assert "138****5678" in receipt.text  # personal data masked
    assert "共找到 1 个组织" in street.get("/web/registry", params={"q": "书香"}).text


def test_a_mistake_names_its_box_by_its_label(street: TestClient) -> None:
    sign_in(street, "王秀英")
    token = csrf_of(street.get("/web/record/filing").text)
    wrong = street.post("/web/record/filing", data={
        **FILING, "person_name": "赵" * 51, "csrf_token": token})  # fmt: skip
    assert wrong.status_code == 400
    error = re.search(r'id="person_name-error">(.*?)</p>', wrong.text)
    assert error is not None
    said = re.sub(r"<[^>]+>", "", error.group(1))
    assert "负责人" in said
    assert "responsible_person" not in wrong.text


def test_money_in_yuan_with_a_live_sum_and_bands(street: TestClient) -> None:
    sign_in(street, "王秀英")
    form = street.get("/web/record/subsidy")
    assert "有效的补助档次" in form.text
    token = csrf_of(form.text)
    paid = {"org": seed.org_ref(seed.first("一类")), "program": seed.PROGRAM,
            "period": "2025", "amount": "3,500.005", "share_street": "2,100",
            "share_community": "1,400", "grade": "一类", "grade_scheme": "class",
            "effective_on": "2025-03-01", "csrf_token": token}  # fmt: skip
    wrong = street.post("/web/record/subsidy", data=paid)
    assert wrong.status_code == 400
    assert 'id="amount-error"' in wrong.text
    assert re.search(r'<output id="share-sum"[^>]*>3,500.00</output>', wrong.text)
    right = street.post("/web/record/subsidy", data={**paid, "amount": "¥3,500.00"},
                        follow_redirects=False)  # fmt: skip
    assert right.status_code == 303
    assert "amount_fen" in street.get(right.headers["location"]).text


def test_auditors_and_forged_forms_record_nothing(street: TestClient) -> None:
    sign_in(street, "李建国")
    assert street.get("/web/record/filing").status_code == 403
    street.cookies.clear()
    sign_in(street, "王秀英")
    forged = street.post("/web/record/filing", data={**FILING, "csrf_token": "x" * 43})
    assert forged.status_code == 403
    assert street.get("/web/record/nothing").status_code == 404


def test_grading_schemes_are_offered_by_their_names(street: TestClient) -> None:
    sign_in(street, "王秀英")
    for slug in ("grade", "subsidy"):
        page = street.get(f"/web/record/{slug}").text
        assert '<option value="class">分类评定</option>' in page, slug
        assert ">class<" not in page
    english = street.get("/web/record/grade", headers={"Accept-Language": "en"})
    assert '<option value="class">class rating</option>' in english.text
