"""The usual alternative (docs/PERFORMANCE.md): what a clerk's Python colleague writes
with pandas. Reads every spreadsheet under DIR with pandas.read_excel, finds the 附件1 item table
by its 问题描述 header and the 附件2 indicator lines, and writes the items to Parquet and the
district totals to an .xlsx. No cleaning of dates, phones or counts beyond to_numeric, no
findings: the extraction and the totals only, so it does less than huizong.

    python3 bench/pandas_extract.py DIR OUT openpyxl   # openpyxl for .xlsx, xlrd for .xls, odf for .ods
    python3 bench/pandas_extract.py DIR OUT calamine   # python-calamine for every format
"""
import os
import re
import sys

import pandas as pd

DIR, OUT, ENGINE = sys.argv[1], sys.argv[2], sys.argv[3]
EXT_ENGINE = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "xlrd", ".ods": "odf"}
HEADER = re.compile(r"物业项目[：:]\s*(.*?)\s*物业公司")
NO_PROBLEM = {"", "无", "无。", "/", "未发现此类问题", "经自查，无此类问题"}

items, monthly = [], []
for root, _, names in os.walk(DIR):
    for name in sorted(names):
        path = os.path.join(root, name)
        ext = os.path.splitext(name)[1].lower()
        if ext not in EXT_ENGINE:
            continue
        engine = "calamine" if ENGINE == "calamine" else EXT_ENGINE[ext]
        try:
            sheets = pd.read_excel(path, sheet_name=None, header=None, engine=engine, dtype=str)
        except Exception as e:  # a bad file is skipped, as a quick script would
            continue
        for sheet, df in sheets.items():
            df = df.fillna("")
            text = df.astype(str)
            header = None
            project = ""
            for r in range(len(text)):
                row = [c.replace("\n", "") for c in text.iloc[r].tolist()]
                joined = "".join(row)
                m = HEADER.search(joined)
                if m:
                    project = m.group(1)
                if "问题描述" in row:
                    header = (r, row)
                    break
            if header is not None:
                r0, row = header
                col = {h: i for i, h in enumerate(row)}
                d, who, when = col.get("问题描述"), col.get("整改责任人及联系方式"), col.get("整改完成期限")
                no = col.get("序号", d - 2 if d is not None else 0)
                for r in range(r0 + 1, len(text)):
                    cells = text.iloc[r].tolist()
                    if cells[no].strip() not in {"1", "2", "3", "4", "5", "6", "1.0", "2.0", "3.0", "4.0", "5.0", "6.0"}:
                        continue
                    desc = cells[d].strip()
                    items.append({
                        "path": path, "sheet": sheet, "row": r + 1, "project": project,
                        "item_no": int(float(cells[no])), "description": desc,
                        "has_problem": desc not in NO_PROBLEM,
                        "responsible": cells[who].strip() if who is not None else "",
                        "deadline_raw": cells[when].strip() if when is not None else "",
                    })
                continue
            if "专项整治月度工作汇总表" in "".join(text.iloc[:, 0].tolist()):
                for r in range(len(text)):
                    cells = text.iloc[r].tolist()
                    code = cells[0].strip().removesuffix(".0")
                    if re.fullmatch(r"\d+(\.1)?", code) and len(cells) > 2:
                        this = pd.to_numeric(cells[2], errors="coerce")
                        total = pd.to_numeric(cells[3], errors="coerce") if len(cells) > 3 else None
                        monthly.append({"path": path, "indicator": code, "this_month": this, "cumulative": total})

os.makedirs(OUT, exist_ok=True)
items_df = pd.DataFrame(items)
items_df.to_parquet(os.path.join(OUT, "items.parquet"))
totals = pd.DataFrame(monthly).groupby("indicator")[["this_month", "cumulative"]].sum() if monthly else pd.DataFrame()
with pd.ExcelWriter(os.path.join(OUT, "totals.xlsx"), engine="openpyxl") as w:
    totals.to_excel(w, sheet_name="全区合计")
    if len(items_df):
        items_df.groupby("project")["has_problem"].sum().to_frame("problems").to_excel(w, sheet_name="自查汇总")
print(f"{len(items)} items, {len(monthly)} indicator lines")
