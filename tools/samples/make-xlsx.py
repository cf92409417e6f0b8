#!/usr/bin/env python3
"""Writes samples/registers/contractor-cameras.xlsx: a contractor's camera workbook as Excel saves one (a cover sheet,
a title row above the header, contractor column names, a date cell, a MAC Excel turned into a number), for the README
and the tests. Invented data. Run from the repository root: python3 tools/samples/make-xlsx.py"""
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def col(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def cell(ref, value):
    if value is None:
        return ""
    if isinstance(value, tuple):  # (serial, style): a date cell
        return f'<c r="{ref}" s="{value[1]}"><v>{value[0]}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def sheet(rows):
    body = "".join(
        f'<row r="{r + 1}">' + "".join(cell(f"{col(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


cover = [["Northern CCTV Supplies Ltd: camera schedule for the Ministry of Justice"], ["Issued 14 March 2023. Data invented for this sample."]]
cameras = [
    ["MoJ estate: CCTV cameras, Petty France"],
    [],
    ["Camera Ref", "Dept", "Make", "Model No.", "Serial No.", "MAC Address", "Camera Type", "Site Code", "Location", "Sensitive", "Network", "Install Date", "Status"],
    ["MOJ-CAM-0101", "MOJ", "Hikvision", "DS-2CD2143G2-I", "J51230001", "BC:AD:28:4F:11:02", "Fixed Dome", "MOJ-102PF", "102 Petty France", "Yes", "segregated", (44995, 1), "Active"],
    ["MOJ-CAM-0102", "MOJ", "Axis", "P3245-LVE", "ACCC8E0A1B2C", "AC:CC:8E:0A:1B:2C", "Fixed Dome", "MOJ-102PF", "102 Petty France", "Yes", "segregated", (44995, 1), "Active"],
    ["MOJ-CAM-0103", "MOJ", "Northern CCTV", "NC-4MP-D", "NC0000103", 123457000000, "PTZ", "MOJ-102PF", "102 Petty France", "Yes", "core", (44996, 1), "In use"],
    ["MOJ-NVR-0001", "MOJ", "Dahua", "NVR5216-16P-4KS2E", "7G0001234", "3C:EF:8C:21:9A:04", "Recorder", "MOJ-102PF", "102 Petty France", "Yes", "segregated", "13/03/2023", "Active"],
    ["MOJ-CAM-0090", "MOJ", "Hikvision", "DS-2CD2T47G2-L", "J50000090", "", "Bullet", "MOJ-102PF", "102 Petty France", "No", "standalone", "02/05/2019", "Disposed"],
]
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Cover" sheetId="1" r:id="rId1"/><sheet name="Cameras" sheetId="2" r:id="rId2"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": sheet(cover),
    "xl/worksheets/sheet2.xml": sheet(cameras),
}
with zipfile.ZipFile("samples/registers/contractor-cameras.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2023, 3, 14, 9, 0, 0))  # fixed, so the file is the same on every run
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
