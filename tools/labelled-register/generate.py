# Generator for the labelled register. Labels come from label() below, which encodes the rules of the
# 24 Nov 2022 direction as the brief and docs state them; it never calls the engine.
import csv, io, json, sys
SURV = {"camera", "nvr", "dvr", "encoder", "video-intercom"}
CUTOFF = "2022-11-24"

def label(cls, typ, sens, seg, date, status):
    if status == "removed":
        return "Removed", ""
    surv = typ in SURV
    def prc():
        if not surv: return "Advisory", ""
        if seg == "core": return "NonCompliant", "Critical"
        if sens is True: return ("NonCompliant", "Critical") if (date and date >= CUTOFF) else ("NonCompliant", "High")
        if sens is None: return "NeedsReview", ""
        if seg is None: return "NeedsReview", ""
        return "Advisory", ""
    if cls == "prc": return prc()
    if cls == "nonprc": return "Compliant", ""
    if cls == "unknown":
        if not surv: return "Compliant", ""
        if sens is True or sens is None or seg == "core" or seg is None: return "NeedsReview", ""
        return "Compliant", ""
    if cls == "conflict":
        s = prc()
        return s if s[0] == "NonCompliant" else ("NeedsReview", "")
    if cls == "cn-registrant":
        return ("NeedsReview", "") if surv else label("unknown", typ, sens, seg, date, status)
    raise ValueError(cls)

# site presets: (site_id, site_name, site_sensitive cell, parsed sensitivity)
SITES = {
 "S":  ("{d}-S1", "Headquarters", "true", True),
 "Sy": ("{d}-S2", "Ministerial Suite", "yes", True),
 "S1": ("{d}-S3", "Secure Annex", "1", True),
 "SY": ("{d}-S4", "Operations Centre", "Y", True),
 "N":  ("{d}-N1", "Regional Office", "false", False),
 "No": ("{d}-N2", "Warehouse", "no", False),
 "N0": ("{d}-N3", "Car Park", "0", False),
 "U":  ("{d}-U1", "Leased Floor", "", None),
 "X":  ("", "", "true", True),          # stated sensitive, no site id
 "Xn": ("", "Annex B", "yes", True),    # stated sensitive, site name but no id
 "Y":  ("", "", "false", False),        # stated not sensitive, no site id
}
DEPTS = ["HO", "MOJ", "DFE", "DWP", "HMRC", "CO", "MOD", "FCDO", "DHSC", "DFT"]
SEG = {"core": "core", "seg": "segregated", "sa": "standalone", None: None, "": None}
P, F, Q = "true", "false", "unknown"
R = []
def r(kind, man, model, mac, typ, site, seg, date, cls, prc, src, why, status="in-service", serial=""):
    R.append(dict(kind=kind, man=man, model=model, mac=mac, typ=typ, site=site, seg=SEG[seg], date=date, cls=cls, prc=prc, src=src, why=why, status=status, serial=serial))

# ---- PRC makers: own brands, as registers write them ----
K="prc-own-brand"
r(K,"Hikvision","DS-2CD2143G2-I","", "camera","S","seg","2021-03-04","prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision's own brand and DS-2CD grammar; sensitive site, installed before 24 Nov 2022")
r(K,"HIKVISION","DS-2CD2347G2-LU","", "camera","S","seg","2023-01-16","prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision, sensitive site, installed after the direction")
r(K,"Hikvision","DS-2DE4A425IWG-E","", "camera","N","core","2020-06-01","prc",P,"GH-CODE+POLICY-MODELS","Hikvision DS-2DE PTZ on the core network")
r(K,"Hikvision","DS-7608NI-K2","", "nvr","U","seg",None,"prc",P,"GH-CODE+POLICY-MODELS","Hikvision NVR, sensitivity unknown")
r(K,"Hikvision","DS-7204HQHI-K1","", "dvr","N","sa","2018-02-01","prc",P,"GH-CODE+POLICY-MODELS","Hikvision DVR, non-sensitive standalone")
r(K,"Hikvision","DS-2TD2617-10/QA","", "camera","S","seg",None,"prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision thermal (DS-2TD family), sensitive site, date unknown")
r(K,"Hikvision","DS-KV6113-WPE1(C)","", "video-intercom","Sy","seg","2023-05-10","prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision video door station is video-intercom; sensitive, after the direction")
r(K,"Hikvision","DS-K1T671MF","", "access-control","S","core",None,"prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision face terminal is access control: non-surveillance, Advisory even on core")
r(K,"Hikvision","DS-6704HUHI","", "encoder","N","seg","2019-09-09","prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision encoder, non-sensitive segregated")
r(K,"Hikvision","DS-3E0510P-E","", "network","S","core",None,"prc",P,"GH-CODE+WIKI-HIK-2024","Hikvision PoE switch is network gear: Advisory")
r(K,"Dahua","NVR4108HS-8P-4KS2","", "nvr","S1","seg","2022-11-24","prc",P,"GH-CODE+WIKI-DAHUA","Dahua NVR installed on the day of the direction: on/after counts")
r(K,"Dahua","SD49225XA-HNR","", "camera","N","core",None,"prc",P,"GH-CODE+WIKI-DAHUA","Dahua SD PTZ on core")
r(K,"Dahua","TPC-BF1241","", "camera","S","sa","2020-10-10","prc",P,"GH-CODE+WIKI-DAHUA","Dahua thermal (TPC) at a sensitive site before the direction")
r(K,"Dahua","VTH2421FW-P","", "video-intercom","N","seg",None,"prc",P,"GH-CODE+WIKI-DAHUA","Dahua indoor monitor (VTH) non-sensitive segregated")
r(K,"Dahua","IPC-HDBW3433R-AS","", "camera","N",None,"2021-01-01","prc",P,"CCDB+WIKI-DAHUA","Dahua camera, non-sensitive but segment unknown")
r(K,"Dahua","DH-IPC-HDBW5443R-ZAS","", "camera","SY","seg","2024-02-02","prc",P,"CCDB+WIKI-DAHUA","DH- prefixed Dahua model, sensitive, after the direction")
r(K,"Uniview","IPC2124LB-SF28-A","", "camera","S","seg","2021-07-01","prc",P,"CCDB+EL-UNIVIEW","Uniview IPC+digits grammar, sensitive, before")
r(K,"Uniview","NVR302-16S","", "nvr","N","core",None,"prc",P,"GH-CODE+EL-UNIVIEW","Uniview NVR on core")
r(K,"UNV","IPC3612LB-ADF28K-H","", "camera","U",None,None,"prc",P,"CCDB+EL-UNIVIEW","UNV is Uniview's short brand; sensitivity and segment unknown")
r(K,"Tiandy","TC-C32QN","", "camera","S","seg","2019-05-05","prc",P,"CCDB+FDD-TIANDY+EL-TIANDY","Tiandy TC- grammar, sensitive, before")
r(K,"Tiandy","TC-H326M","", "camera","N","sa",None,"prc",P,"CCDB+FDD-TIANDY","Tiandy PTZ non-sensitive standalone")
r(K,"Huawei","S5735-L48T4X-A1","", "network","S","core",None,"prc",P,"HUAWEI-OWN+EAC-889","Huawei switch: PRC-law maker, non-surveillance: Advisory")
r(K,"HUAWEI","HoloSens","", "camera","S","seg",None,"prc",P,"HUAWEI-OWN+EAC-889","Huawei-branded camera at sensitive site, date unknown")
r(K,"ZTE","ZXR10 5960","", "network","N","core",None,"prc",P,"EAC-889+FCC-CL-2021","ZTE switch: Advisory")
r(K,"Hytera","VM780","", "camera","S","seg","2021-02-02","prc",P,"EAC-889+FCC-CL-2021","Hytera body-worn video is visual surveillance equipment (s.889 names Hytera video surveillance)")
r(K,"Milesight","MS-C2964-RFPE","", "camera","N","seg","2022-01-01","prc",P,"CCDB+OUI","Milesight (Xiamen Milesight IoT, registered in China) non-sensitive segregated")
r(K,"Kedacom","IPC2231-DN-IR","", "camera","Sy","seg","2023-08-08","prc",P,"CCDB+OUI","Kedacom (Suzhou Keda, China) sensitive after")
r(K,"Sunell","SN-IPR57/04YDN","", "camera","N","core",None,"prc",P,"OUI","Sunell Electronics (Shenzhen) on core")
r(K,"TVT","TD-9524E3B-A","", "camera","S","seg",None,"prc",P,"CCDB+OUI","TVT (Shenzhen) sensitive, date unknown")
r(K,"Raysharp","","", "dvr","N","sa",None,"prc",P,"OUI","Zhuhai Raysharp (China) DVR, non-sensitive standalone")
r(K,"Xiongmai","","", "dvr","S","seg","2016-11-01","prc",P,"IPVM-XM+REG-XM","Hangzhou Xiongmai DVR at a sensitive site before the direction")

# ---- legal names and province/city prefixes as registers write them ----
K="prc-legal-name"
r(K,"Hangzhou Hikvision Digital Technology Co., Ltd.","DS-2CD1043G2-LIU","", "camera","S","seg","2022-12-01","prc",P,"OUI+WIKI-HIK-2024","full legal name with punctuation; sensitive after")
r(K,"HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO.,LTD.","","", "camera","N","core",None,"prc",P,"OUI","IEEE-style upper-case legal name only, on core")
r(K,"Zhejiang Dahua Technology Co., Ltd.","IPC-HFW2849S-S-IL","", "camera","S","seg","2020-02-02","prc",P,"OUI+GH-CODE+WIKI-DAHUA","Dahua legal name with province prefix")
r(K,"ZHEJIANG DAHUA TECHNOLOGYCO.,LTD","","", "nvr","U","seg",None,"prc",P,"OUI","registry spelling without the space (an IEEE registrant name), sensitivity unknown")
r(K,"Zhejiang Dahua Vision Technology Co., Ltd.","DHI-VTO2202F-P","", "video-intercom","S","seg","2023-03-03","prc",P,"MANUALMACHINE-DAHUA+WIKI-DAHUA","Dahua Vision (the Dahua manufacturing entity named in manuals)")
r(K,"Zhejiang Uniview Technologies Co.,Ltd.","IPC322LB-SF28K-A","", "camera","N","seg",None,"prc",P,"OUI+CCDB","Uniview legal name, non-sensitive segregated")
r(K,"Tiandy Technologies Co.,LTD","TC-C34HN","", "camera","S","core",None,"prc",P,"OUI+CCDB","Tiandy legal name on core")
r(K,"Tianjin Tiandy Digital Technology Co., Ltd.","","", "camera","S","seg",None,"prc",P,"FDD-TIANDY","Tiandy's Chinese legal name romanised, city prefix")
r(K,"Suzhou Keda Technology Co.,Ltd","","", "camera","N","sa",None,"prc",P,"OUI","Kedacom's legal name (city prefix)")
r(K,"Xiamen Milesight IoT Co., Ltd.","","", "camera","Sy","seg",None,"prc",P,"OUI","Milesight legal name (Xiamen)")
r(K,"Zhuhai Raysharp Technology Co.,Ltd","","", "dvr","U",None,None,"prc",P,"OUI","Raysharp legal name, site facts unknown")
r(K,"Hangzhou Xiongmai Technology Co., Ltd.","","", "camera","N","seg",None,"prc",P,"IPVM-XM+REG-XM","Xiongmai legal name")
r(K,"Huawei Technologies Co., Ltd.","","", "camera","N","core",None,"prc",P,"OUI+HUAWEI-OWN","Huawei legal name, camera on core")
r(K,"Shenzhen TVT Digital Technology Co., Ltd","TD-9422E3-A","", "camera","N","seg","2021-01-01","prc",P,"OUI+CCDB","TVT with city prefix")
r(K,"Hangzhou EZVIZ Network Co., Ltd.","CS-C6N","", "camera","S","seg",None,"prc",P,"EZVIZ-PROSPECTUS+YICAI-2025","EZVIZ legal name (Hikvision subsidiary)")
r(K,"Hangzhou Ezviz Software Co.,Ltd.","","", "camera","N","core",None,"prc",P,"OUI+YICAI-2025","EZVIZ IEEE registrant name")
r(K,"Hangzhou Huacheng Network Technology Co.,Ltd","","", "camera","S","seg",None,"prc",P,"OUI+HUACHENG-2025","Huacheng (Imou/Lechange) legal name")

# ---- typos, spacing, case ----
K="prc-name-typo"
r(K,"Hikvsion","DS-2CD1123G2-LIUF","", "camera","S","seg",None,"prc",P,"CCDB+WIKI-HIK-2024","transposed letters plus a real Hikvision model")
r(K,"hik vision","","", "camera","N","core",None,"prc",P,"WIKI-HIK-2024","lower case with a space")
r(K,"HIK-VISION","","", "nvr","S","seg","2023-02-02","prc",P,"WIKI-HIK-2024","hyphenated")
r(K,"Hikvission","","", "camera","N","seg",None,"prc",P,"WIKI-HIK-2024","doubled s, non-sensitive segregated")
r(K,"Dhaua","","", "camera","S","seg",None,"prc",P,"WIKI-DAHUA","transposed Dahua")
r(K,"Dahua Tech","","", "dvr","N","core",None,"prc",P,"WIKI-DAHUA","abbreviated name")
r(K,"Unv iew","","", "camera","S","seg",None,"prc",P,"EL-UNIVIEW","a space inside Uniview")
r(K,"Univeiw","IPC2122LB-AF28-A2","", "camera","N","sa",None,"prc",P,"CCDB+EL-UNIVIEW","ie/ei swapped, with a real Uniview model")
r(K,"Tiandi","TC-C32GN","", "camera","S","seg",None,"prc",P,"CCDB+FDD-TIANDY","Tiandy written as pronounced, with a real Tiandy model")
r(K,"Hikvision (via Acme Security Ltd)","","", "camera","S","seg","2019-01-01","prc",P,"WIKI-HIK-2024","installer's name around the maker")

# ---- unicode ----
K="prc-unicode"
r(K,"ＨＩＫＶＩＳＩＯＮ","","", "camera","S","seg",None,"prc",P,"ISSUE14+UAX15","full-width letters; NFKC folds them to HIKVISION (issue's case)")
r(K,"ＤＡＨＵＡ","","", "camera","N","core",None,"prc",P,"UAX15+WIKI-DAHUA","full-width Dahua on core")
r(K,"Нikvisiоn","","", "camera","S","seg",None,"prc",P,"UTS39+WIKI-HIK-2024","Cyrillic Н and о in Hikvision (two look-alikes): confusable skeleton is Hikvision")
r(K,"Dаhuа","","", "camera","S","seg","2023-04-04","prc",P,"UTS39+WIKI-DAHUA","two Cyrillic а in Dahua")
r(K,"Hіkvіsіon","","", "nvr","N","seg",None,"prc",P,"UTS39+WIKI-HIK-2024","three Cyrillic і: skeleton Hikvision")
r(K,"Ｄａｈｕａ","","", "nvr","N","core",None,"prc",P,"UAX15+WIKI-DAHUA","full-width mixed case on core")
r(K,"UNIVIEW\u00a0","","", "camera","S","seg",None,"prc",P,"EL-UNIVIEW","no-break space after the name")

# ---- sub-brands and subsidiaries ----
K="prc-sub-brand"
r(K,"HiLook","IPC-T240H","", "camera","S","seg",None,"prc",P,"WIKI-HIK-2024+POLICY-MODELS","HiLook is Hikvision's budget brand")
r(K,"HiLook","NVR-104MH-C/4P","", "nvr","N","core",None,"prc",P,"WIKI-HIK-2024+POLICY-MODELS","HiLook NVR on core")
r(K,"HiWatch","HWI-B140H","", "camera","N","seg",None,"prc",P,"WIKI-HIK-2024+POLICY-MODELS","HiWatch is a Hikvision brand")
r(K,"EZVIZ","C3TN","", "camera","S","seg","2023-06-06","prc",P,"CCDB+YICAI-2025","EZVIZ (Hikvision subsidiary) consumer camera at a sensitive site")
r(K,"Ezviz","","", "camera","N","sa",None,"prc",P,"YICAI-2025","EZVIZ non-sensitive standalone")
r(K,"HIKMICRO","","", "camera","S","seg",None,"prc",P,"HIKMICRO-MANUAL+OUI+ISSUE14","HIKMICRO = Hangzhou Microimage Software (Hikvision thermal subsidiary; registry address 399 Danfeng Road, Hikvision's Binjiang campus)")
r(K,"Hikmicro","Thermographic Automation Camera","", "camera","N","core",None,"prc",P,"HIKMICRO-MANUAL","HIKMICRO thermal camera on core")
r(K,"Hangzhou Microimage Software Co., Ltd","","", "camera","U","seg",None,"prc",P,"OUI+HIKMICRO-MANUAL","HIKMICRO legal name, sensitivity unknown")
r(K,"Hikrobot","","", "camera","N","seg",None,"prc",P,"YICAI-2025+OUI","Hikrobot (Hikvision machine-vision subsidiary) camera non-sensitive")
r(K,"Imou","IPC-A22EP","", "camera","S","seg",None,"prc",P,"CCDB+HUACHENG-2025","Imou consumer camera (Huacheng, Hangzhou)")
r(K,"IMOU","","", "camera","N",None,None,"prc",P,"HUACHENG-2025","Imou, non-sensitive but segment unknown")
r(K,"Lechange","","", "camera","S","seg",None,"prc",P,"HUACHENG-2025","Lechange (乐橙) is Huacheng's brand")
r(K,"Uniarch","","", "camera","S","seg",None,"prc",P,"CCDB","Uniarch is Uniview's sub-brand (CCDB: 'Uniarch (Uniview)')")
r(K,"Hik-Connect","","", "camera","N","seg",None,"prc",P,"WIKI-HIK-2024","Hik-Connect is a Hikvision brand")
r(K,"Hiksemi","","", "nvr","S","seg",None,"prc",P,"WIKI-HIK-2024","Hiksemi is a Hikvision brand")
r(K,"Pyronix","Enforcer V11","", "other","S","seg",None,"prc",P,"ISSUE14","Pyronix reported as a Hikvision-group company; alarm panel is non-surveillance: Advisory")
r(K,"Pyronix","","", "access-control","N","core",None,"prc",P,"ISSUE14","Pyronix access device, Advisory")
r(K,"Dahua Imou","","", "camera","S","core",None,"prc",P,"HUACHENG-2025","Imou under its parent's name, on core")

# ---- smaller PRC makers of cameras, recorders, intercoms, access control ----
K="prc-smaller-maker"
r(K,"Jovision","","", "camera","S","seg",None,"prc",P,"OUI","Jovision (Jinan, China, two IEEE registrants)")
r(K,"Jovision Technology Co., Ltd.","","", "nvr","N","core",None,"prc",P,"OUI","Jovision legal name on core")
r(K,"Hanbang","","", "camera","S","seg",None,"prc",P,"OUI","Beijing Hanbang Technology (China)")
r(K,"Beijing Hanbang Technology Corp.","","", "dvr","N","seg",None,"prc",P,"OUI","Hanbang legal name")
r(K,"Xiaomi","Mi 360 Home Security Camera 2K","", "camera","S","seg",None,"prc",P,"OUI+CCDB","Xiaomi (China) consumer camera")
r(K,"Xiaomi Communications Co Ltd","","", "camera","N","core",None,"prc",P,"OUI","Xiaomi registrant name on core")
r(K,"YI Technology","","", "camera","S","seg",None,"prc",P,"OUI","YI = Shanghai Xiaoyi Technology (China)")
r(K,"Shanghai Xiaoyi Technology Co., Ltd.","","", "camera","N","seg",None,"prc",P,"OUI","Xiaoyi legal name")
r(K,"Akuvox","","", "video-intercom","S","seg","2023-09-09","prc",P,"OUI","Akuvox (Xiamen) video intercom, sensitive, after")
r(K,"DNAKE","","", "video-intercom","N","core",None,"prc",P,"OUI","Xiamen DNAKE video intercom on core")
r(K,"Fanvil","","", "video-intercom","S","seg",None,"prc",P,"OUI","Fanvil (Shenzhen) video door phone")
r(K,"Yealink","","", "other","S","core",None,"prc",P,"OUI","Yealink (Xiamen) desk phone: non-surveillance, Advisory")
r(K,"Tianjin Hualai Technology Co., Ltd","","", "camera","S","seg",None,"prc",P,"OUI+WYZE-HUALAI","Hualai (Tianjin) makes consumer cameras")
r(K,"Lumi United Technology","","", "camera","N","seg",None,"prc",P,"OUI","Aqara's maker Lumi United (China) camera, non-sensitive")
r(K,"Aqara","","", "camera","S","seg",None,"prc",P,"OUI+CCDB","Aqara (Lumi United, China) camera at sensitive site")
r(K,"Kedacom","NVR2820","", "nvr","S","seg",None,"prc",P,"OUI+GH-CODE","Kedacom NVR")
r(K,"Milesight","MS-N5016-UPT","", "nvr","U","seg",None,"prc",P,"OUI+GH-CODE","Milesight NVR, sensitivity unknown")
r(K,"TVT","TD-3316H2","", "nvr","N","core",None,"prc",P,"OUI+GH-CODE","TVT NVR on core")
r(K,"Tiandy","TC-R3110","", "nvr","S","seg",None,"prc",P,"FDD-TIANDY+GH-CODE","Tiandy NVR (TC-R)")
r(K,"Guangzhou AnJuBao Co., Ltd","","", "dvr","S","seg",None,"prc",P,"OUI","AnJuBao (Guangzhou) DVR")
r(K,"Longse","BMMDKL5R","", "camera","N","seg",None,"prc",P,"CCDB","Longse ('OEM/budget, CN' in CCDB)")
r(K,"Hytera","PD785","", "other","N","sa",None,"prc",P,"EAC-889","Hytera radio: non-surveillance, Advisory")
r(K,"Sunell","SN-IPR56/41BZBN","", "camera","S","seg",None,"prc",P,"OUI","Sunell camera, sensitive, date unknown")

# ---- OEM relabel brands with a public source naming the maker ----
K="oem-relabel"
r(K,"Annke","C800 I91BM","", "camera","S","seg",None,"prc",P,"CCDB-ANNKE+HA-ANNKE+HIKNEXT-ANNKE+ISSUE14","Annke OEMs Hikvision hardware (camera DB audit against annke.com; works with Hikvision integrations)")
r(K,"ANNKE","NC400","", "camera","N","core",None,"prc",P,"CCDB-ANNKE","Annke NightChroma on core")
r(K,"Annke","I91BM","", "camera","N","seg",None,"prc",P,"CCDB-ANNKE+HIKNEXT-ANNKE","Annke model number only (I91BM) with brand, non-sensitive segregated")
r(K,"Annke","FCD600 I51FS","", "camera","S","seg","2023-03-15","prc",P,"CCDB-ANNKE+FRIGATE-ISSUE-5859","Annke FCD600 (Hikvision), sensitive, after")
r(K,"LTS","","", "camera","S","seg",None,"prc",P,"BLACKBOX","LTS named as a Hikvision OEM partner")
r(K,"LTS Platinum","","", "nvr","N","seg",None,"prc",P,"BLACKBOX","LTS Platinum NVR, non-sensitive")
r(K,"Wyze","WYZE_CAKP2JFUS","", "camera","S","seg",None,"unknown",Q,"WYZE-HUALAI+WYZE-MODELS","Wyze Cam v3 hardware is made by Tianjin Hualai, but Wyze Labs is a US company with its own registry blocks: contested, as Amcrest (lead's review correction)")
r(K,"Wyze Labs","WYZEC1-JZ","", "camera","N","core",None,"unknown",Q,"WYZE-HUALAI+WYZE-MODELS","Wyze Cam v2 on core: contested brand (lead's review correction)")
r(K,"CP Plus","","", "camera","S","seg",None,"unknown",Q,"GH-OEMTREE","CP Plus reported as a Dahua OEM rebadge by one weak source; an Indian company with its own registry blocks: contested, as Amcrest (lead's review correction)")

# ---- model numbers as typed (blank or generic maker) ----
K="model-as-typed"
r(K,"","DS2CD2143G2I","", "camera","S","seg",None,"prc",P,"GH-CODE+POLICY-MODELS","Hikvision model typed without dashes")
r(K,"","2CD2143G2-I","", "camera","N","core",None,"prc",P,"GH-CODE+POLICY-MODELS","Hikvision model without the DS- prefix")
r(K,"Generic","ds-2cd2347g2-lu","", "camera","S","seg",None,"prc",P,"GH-CODE","lower-case Hikvision model")
r(K,"","DS-2DE4A425IWG-E","", "camera","U","seg",None,"prc",P,"GH-CODE","Hikvision PTZ, no maker, sensitivity unknown")
r(K,"","DS-2TD2617-10/QA","", "camera","S","core",None,"prc",P,"GH-CODE","Hikvision thermal, no maker, on core")
r(K,"","DS-7608NI-K2/8P","", "nvr","S","seg","2023-07-07","prc",P,"GH-CODE","Hikvision NVR with PoE suffix as devices report it")
r(K,"","DS-7204HQHI-K1","", "dvr","N","sa",None,"prc",P,"GH-CODE","Hikvision DVR (HQHI), no maker")
r(K,"","iDS-7208HQHI-M1/S","", "dvr","S","seg",None,"prc",P,"POLICY-MODELS","Hikvision iDS- (AcuSense) DVR")
r(K,"","DS-KV6113-WPE1","", "video-intercom","S","seg",None,"prc",P,"GH-CODE","Hikvision door station, no maker")
r(K,"","DS-6704HUHI","", "encoder","S","seg",None,"prc",P,"GH-CODE","Hikvision encoder, no maker")
r(K,"","DS-K1T671MF","", "access-control","S","seg",None,"prc",P,"GH-CODE","Hikvision access terminal, no maker: Advisory")
r(K,"","IPCHDBW3433RAS","", "camera","S","seg",None,"prc",P,"CCDB+EK-DAHUA","Dahua model without dashes")
r(K,"","HDBW3433R-AS","", "camera","N","core",None,"prc",P,"CCDB+EK-DAHUA","Dahua model without the IPC- prefix")
r(K,"","DHI-NVR4108HS-8P-4KS2","", "nvr","S","seg",None,"prc",P,"GH-CODE","Dahua NVR as the device reports it (DHI- prefix)")
r(K,"","NVR4108HS-8P-4KS2","", "nvr","N","seg",None,"prc",P,"GH-CODE","Dahua NVR, no maker")
r(K,"","DH-XVR5108HS-I3","", "dvr","S","seg",None,"prc",P,"POLICY-MODELS","Dahua XVR, no maker")
r(K,"","XVR5108HS-I3","", "dvr","N","core",None,"prc",P,"POLICY-MODELS","Dahua XVR without DH- on core")
r(K,"","SD49225XA-HNR","", "camera","S","seg","2023-10-10","prc",P,"GH-CODE","Dahua PTZ, no maker")
r(K,"","TPC-BF1241","", "camera","S","seg",None,"prc",P,"GH-CODE","Dahua thermal, no maker")
r(K,"","VTO2202F-P","", "video-intercom","N","core",None,"prc",P,"GH-CODE","Dahua VTO door station on core")
r(K,"","VTH2421FW-P","", "video-intercom","S","seg",None,"prc",P,"GH-CODE","Dahua VTH indoor monitor, no maker")
r(K,"","DHI-ASI7213Y","", "access-control","S","seg",None,"prc",P,"POLICY-MODELS","Dahua access controller (DHI- prefix): Advisory")
r(K,"","IPC-HFW1230S","", "camera","S","seg",None,"prc",P,"POLICY-MODELS","Dahua IPC-HFW family")
r(K,"","IPC2124LB-SF28-A","", "camera","S","seg",None,"prc",P,"CCDB","Uniview IPC+digits, no maker")
r(K,"","IPC3612LB-ADF28K-H","", "camera","N","core",None,"prc",P,"CCDB","Uniview, no maker, on core")
r(K,"","NVR302-16S","", "nvr","S","seg",None,"prc",P,"GH-CODE","Uniview NVR, no maker")
r(K,"","TC-C32QN","", "camera","S","seg",None,"prc",P,"CCDB","Tiandy TC-, no maker")
r(K,"","TCC34HN","", "camera","N","core",None,"prc",P,"CCDB","Tiandy model without dash")
r(K,"","MS-C2964-RFPE","", "camera","S","seg",None,"prc",P,"CCDB","Milesight MS-C, no maker")
r(K,"","TD-9524E3B-A","", "camera","S","seg",None,"prc",P,"CCDB","TVT TD-, no maker")
r(K,"","IPC2231-DN-IR","", "camera","N",None,None,"prc",P,"CCDB","Kedacom IPC2231, no maker, segment unknown")
r(K,"","HWI-B140H","", "camera","S","seg",None,"prc",P,"POLICY-MODELS","HiWatch HWI-, no maker")
r(K,"","HWN-4104MH-4P","", "nvr","S","seg",None,"prc",P,"POLICY-MODELS","HiWatch HWN- NVR, no maker")
r(K,"","NVR-104MH-C/4P","", "nvr","S","seg",None,"prc",P,"POLICY-MODELS","HiLook NVR, no maker")
r(K,"","CS-C6N","", "camera","S","seg",None,"prc",P,"POLICY-MODELS+YICAI-2025","EZVIZ CS- model, no maker")
r(K,"","DS-2CD1023G0E-I","", "camera","N","seg",None,"prc",P,"CCDB","Hikvision, no maker, non-sensitive segregated")
r(K,"Generic","DS-2AE4225TG","", "camera","S","seg",None,"prc",P,"CCDB","Hikvision Turbo PTZ (DS-2AE), generic maker")
r(K,"CCTV","DHI-TPC-BF2241","", "camera","S","seg",None,"prc",P,"GH-CODE","Dahua thermal as DHI-TPC, maker written as 'CCTV'")

# ---- MAC blocks of PRC makers and subsidiaries (name blank or generic) ----
K="mac-prc"
r(K,"","","24:0F:9B:11:22:33","camera","S","seg",None,"prc",P,"OUI","Hikvision MA-L block")
r(K,"","","c0-56-e3-44-55-66","camera","N","core",None,"prc",P,"OUI","Hikvision MA-L, dash notation, on core")
r(K,"Generic","4MP Bullet","bcad.284f.1102","camera","S","seg",None,"prc",P,"OUI+REGFORMATS","Hikvision MA-L in Cisco dot notation")
r(K,"","","3C:EF:8C:01:02:03","camera","S","seg",None,"prc",P,"OUI","Dahua MA-L")
r(K,"","","E0:50:8B:0A:0B:0C","nvr","N","seg",None,"prc",P,"OUI","Dahua MA-L, NVR, non-sensitive segregated")
r(K,"","","A8-CA-87-10-20-30","camera","S","seg",None,"prc",P,"OUI","Zhejiang Dahua Zhilian MA-L (Dahua subsidiary block)")
r(K,"","","48EA63112233","camera","S","seg",None,"prc",P,"OUI","Uniview MA-L, bare hex")
r(K,"","","6C:F1:7E:AA:BB:CC","camera","N","core",None,"prc",P,"OUI","Uniview MA-L on core")
r(K,"","","E4:E6:6C:01:02:03","camera","S","seg",None,"prc",P,"OUI","Tiandy MA-L")
r(K,"","","A4:4C:62:01:02:03","camera","S","seg",None,"prc",P,"OUI+HIKMICRO-MANUAL","HIKMICRO (Hangzhou Microimage) MA-L: Hikvision thermal subsidiary")
r(K,"","","EC:DF:C9:11:22:33","camera","N","core",None,"prc",P,"OUI+HIKMICRO-MANUAL","HIKMICRO second MA-L on core")
r(K,"","","B0:B3:53:60:00:01","camera","S","seg",None,"prc",P,"OUI+YICAI-2025","Hikrobot MA-M block B0B353-6 (Hikvision subsidiary, same campus address)")
r(K,"","","0C:A6:4C:12:34:56","camera","S","seg",None,"prc",P,"OUI+YICAI-2025","EZVIZ MA-L")
r(K,"","","30:24:50:12:34:56","camera","S","seg",None,"prc",P,"OUI+HUACHENG-2025","Huacheng (Imou) MA-L")
r(K,"","","58:E8:76:00:12:34","dvr","S","seg",None,"prc",P,"OUI","Raysharp MA-M block 58E876-0")
r(K,"","","00:23:63:12:34:56","dvr","N","core",None,"prc",P,"OUI","Raysharp MA-L on core")
r(K,"","","00:14:10:12:34:56","camera","S","seg",None,"prc",P,"OUI","Kedacom (Suzhou Keda) MA-L")
r(K,"","","00:1C:27:12:34:56","camera","S","seg",None,"prc",P,"OUI","Sunell MA-L")
r(K,"","","58:5B:69:12:34:56","camera","N","seg",None,"prc",P,"OUI","TVT MA-L, non-sensitive segregated")
r(K,"","","1C:C3:16:12:34:56","camera","S","seg",None,"prc",P,"OUI","Milesight MA-L")
r(K,"","","AC:95:72:12:34:56","camera","S","seg",None,"prc",P,"OUI","Jovision MA-L")
r(K,"","","E4:7D:5A:12:34:56","camera","S","seg",None,"prc",P,"OUI","Hanbang MA-L")
r(K,"","","0C:11:05:12:34:56","video-intercom","S","seg",None,"prc",P,"OUI","Akuvox MA-L")
r(K,"","","BC:F8:11:12:34:56","video-intercom","N","core",None,"prc",P,"OUI","DNAKE MA-L on core")
r(K,"","","58:70:C6:12:34:56","camera","S","seg",None,"prc",P,"OUI","Shanghai Xiaoyi (YI) MA-L")
r(K,"","","E4:AA:EC:12:34:56","camera","S","seg",None,"prc",P,"OUI+WYZE-HUALAI","Tianjin Hualai MA-L")
r(K,"","","64:69:BC:12:34:56","camera","S","seg",None,"prc",P,"OUI","Hytera MA-L on a body-worn camera dock")
r(K,"","","28:6E:D4:12:34:56","network","S","core",None,"prc",P,"OUI","Huawei MA-L on a switch: Advisory")
r(K,"Axis Communications","P3245-LVE","54:c4:15:12:34:56","camera","S","seg",None,"conflict",P,"OUI+CCDB","registered Axis but the MAC is Hikvision's MA-L: hardware says Hikvision; PRC evidence alone is NonCompliant")
r(K,"Secure View Ltd","","08-ED-ED-12-34-56","camera","N","core",None,"prc",P,"OUI","reseller name, Dahua MAC, on core (README example kind)")

# ---- MAC blocks registered in mainland China to organisations not known as makers ----
K="mac-cn-registrant"
r(K,"","","EC:A7:B1:80:12:34","camera","S","seg",None,"cn-registrant",Q,"OUI","MA-M ECA7B1-8: Shenzhen zhst video technology (China), maker not otherwise known")
r(K,"","","DC:36:43:D0:12:34","camera","N","seg",None,"cn-registrant",Q,"OUI","MA-M DC3643-D: Hangzhou Huanyu Vision Technology (China); non-sensitive, still at least NeedsReview")
r(K,"Generic","1080P IP Camera","50:62:55:A0:12:34","camera","N","sa",None,"cn-registrant",Q,"OUI","MA-M 506255-A: registrant 'CCTV Manufacturer', Shenzhen; non-exposed site, still at least NeedsReview")
r(K,"","","0C:73:EB:C0:12:34","dvr","S","seg",None,"cn-registrant",Q,"OUI","MA-M 0C73EB-C: Shenzhen Samchung Video Technology (China)")
r(K,"","","1C:87:76:80:12:34","camera","U","seg",None,"cn-registrant",Q,"OUI","MA-M 1C8776-8: Guangzhou Video-Star Electronics (China)")
r(K,"","","A0:BB:3E:10:12:34","camera","N","core",None,"cn-registrant",Q,"OUI","MA-M A0BB3E-1: IVision Electronics, Shenzhen, on core")
r(K,"","","5C:6A:EC:B0:12:34","camera","S","seg",None,"cn-registrant",Q,"OUI","MA-M 5C6AEC-B: Shenzhen Anked vision Electronics")
r(K,"","","E8:F6:D7:20:12:34","nvr","N","seg",None,"cn-registrant",Q,"OUI","MA-M E8F6D7-2: Jinan Ruolin Video Technology (address written in Chinese)")
r(K,"","","20:5A:8F:12:34:56","camera","S","seg",None,"cn-registrant",Q,"OUI","MA-L 205A8F: Shenzhen Hikeen Technology: 'Hik' in the name is not Hikvision")
r(K,"","","8C:1F:64:73:40:01","access-control","S","seg",None,"unknown",F,"OUI","MA-S 8C1F64734: ZKTECO EUROPE (Spain): not mainland China, access control: Compliant")

# ---- MACs that carry no maker information ----
K="mac-placeholder"
r(K,"","","00:00:00:00:00:00","camera","S","seg",None,"unknown",F,"ISSUE14+IEEE-EUI","all-zero MAC is a placeholder (issue's case): no evidence, unknown maker at sensitive site")
r(K,"","","00-00-00-00-00-00","camera","N","sa",None,"unknown",F,"IEEE-EUI","all-zero placeholder, non-exposed: Compliant")
r(K,"","","02:11:22:33:44:55","camera","S","seg",None,"unknown",F,"IEEE-EUI","locally administered (U/L bit set): no maker information")
r(K,"","","01:00:5E:00:00:FB","camera","N","seg",None,"unknown",F,"IEEE-EUI","multicast address: no maker information; non-exposed: Compliant")
r(K,"","","FF:FF:FF:FF:FF:FF","nvr","S","seg",None,"unknown",F,"IEEE-EUI","broadcast address: placeholder")
r(K,"Hikvision","DS-2CD2143G2-I","00:00:00:00:00:00","camera","S","seg",None,"prc",P,"GH-CODE+IEEE-EUI","placeholder MAC says nothing; name and model say Hikvision")
r(K,"Axis Communications","M3106-L Mk II","00:00:00:00:00:00","camera","S","seg",None,"nonprc",F,"CCDB+IEEE-EUI","placeholder MAC is no evidence against Axis")
r(K,"","","DA:A1:19:12:34:56","camera","S","core",None,"unknown",F,"IEEE-EUI","randomised locally administered MAC on core: unknown maker")

# ---- conflicting evidence (issue item 3) ----
K="conflict"
r(K,"Hikvision","DS-2CD2143G2-I","AC:CC:8E:12:34:56","camera","S","seg",None,"conflict",P,"ISSUE14+GH-CODE+OUI","issue's case: Hikvision name and model, Axis MAC: never Compliant; PRC evidence alone gives NonCompliant High")
r(K,"Hikvision","DS-2CD2143G2-I","AC:CC:8E:12:34:56","camera","N","seg",None,"conflict",P,"ISSUE14+OUI","same device at a non-sensitive segregated site: PRC alone would be Advisory, so the conflict is NeedsReview")
r(K,"","DS-2CD2347G2-LU","00:40:8C:12:34:56","camera","S","seg","2024-01-01","conflict",P,"GH-CODE+OUI","Hikvision model, Axis MAC, no name, after the direction: NonCompliant Critical")
r(K,"Dahua","IPC-HDBW3433R-AS","00:07:5F:12:34:56","camera","N","sa",None,"conflict",P,"CCDB+OUI","Dahua name+model with a VCS (Germany) MAC, non-exposed: NeedsReview")
r(K,"Bosch","","3C:EF:8C:12:34:56","camera","S","seg",None,"conflict",P,"OUI","Bosch name, Dahua MAC: hardware is Dahua; sensitive: NonCompliant High")
r(K,"Axis","","E4:E6:6C:12:34:56","camera","N","seg",None,"conflict",P,"OUI","Axis name, Tiandy MAC at a non-sensitive site: NeedsReview")
r(K,"Sony","","48:EA:63:12:34:56","nvr","N","core",None,"conflict",P,"OUI","Sony name, Uniview MAC, on core: Critical")
r(K,"Hikvision","DS-K1T671MF","AC:CC:8E:12:34:56","access-control","S","seg",None,"conflict",P,"GH-CODE+OUI","conflict on a non-surveillance device: at least NeedsReview, never Compliant")

# ---- trusted (non-PRC) makers ----
K="trusted-maker"
r(K,"Axis","P3245-LVE","AC:CC:8E:AB:CD:EF","camera","S","core",None,"nonprc",F,"CCDB+OUI","Axis (Sweden) camera with Axis MAC on core")
r(K,"Axis Communications AB","Q6135-LE","", "camera","S","seg",None,"nonprc",F,"CCDB","Axis PTZ")
r(K,"AXIS","M3106-L Mk II","00:40:8c:12:34:56","camera","U",None,None,"nonprc",F,"CCDB+OUI","Axis with old Axis MA-L, site facts unknown: known non-PRC maker is Compliant")
r(K,"Bosch Security Systems","NBE-5503-AL","", "camera","S","seg",None,"nonprc",F,"CCDB","Bosch DINION")
r(K,"Bosch","","", "camera","N","core",None,"nonprc",F,"CCDB","Bosch on core")
r(K,"Hanwha Vision","QNV-6012R","", "camera","S","seg",None,"nonprc",F,"CCDB","Hanwha (Korea)")
r(K,"Hanwha Techwin","XNV-8080R","44:B4:23:12:34:56","camera","S","core",None,"nonprc",F,"CCDB+OUI","Hanwha with Hanwha Vision Vietnam MA-L: not mainland China")
r(K,"Wisenet","PNM-9000VQ","", "camera","S","seg",None,"nonprc",F,"CCDB","Wisenet is Hanwha's brand")
r(K,"Avigilon","2.0C-H5A-DO1","", "camera","S","seg",None,"nonprc",F,"CCDB","Avigilon (Motorola Solutions)")
r(K,"Avigilon Alta","","70:1A:D5:12:34:56","camera","S","core",None,"nonprc",F,"OUI","Avigilon Alta MA-L (US)")
r(K,"Pelco","","", "camera","S","seg",None,"nonprc",F,"CCDB","Pelco (US)")
r(K,"Mobotix","M16B","00:03:C5:12:34:56","camera","S","seg",None,"nonprc",F,"CCDB+OUI","Mobotix (Germany) with its MA-L")
r(K,"i-PRO","WV-S1536LN","D4:2D:C5:12:34:56","camera","S","core",None,"nonprc",F,"CCDB+OUI","i-PRO (Japan) with its MA-L on core")
r(K,"Panasonic","WV-X2251L","", "camera","S","seg",None,"nonprc",F,"CCDB","Panasonic/i-PRO (Japan)")
r(K,"Sony","SNC-VB770","", "camera","S","seg",None,"nonprc",F,"CCDB","Sony (Japan)")
r(K,"Vivotek","FD9387-EHTV-A","00:02:D1:12:34:56","camera","S","seg",None,"nonprc",F,"CCDB+OUI","Vivotek (Taiwan): Taiwan is not mainland China")
r(K,"VIVOTEK Inc.","IB9389-EHT-A","", "camera","N","core",None,"nonprc",F,"CCDB","Vivotek on core")
r(K,"Ubiquiti","UVC-G4-PRO","", "camera","S","seg",None,"nonprc",F,"CCDB","Ubiquiti UniFi (US)")
r(K,"Ubiquiti Inc","","60:22:32:12:34:56","camera","S","core",None,"nonprc",F,"OUI","Ubiquiti MA-L on core")
r(K,"Cisco Meraki","MV12W","", "camera","S","seg",None,"nonprc",F,"OUI","Meraki MV camera (Cisco, US)")
r(K,"Verkada","CB52-E","E0:A7:00:12:34:56","camera","S","core",None,"nonprc",F,"CCDB+OUI","Verkada (US) with its MA-L")
r(K,"Dallmeier","","00:0B:02:12:34:56","camera","S","seg",None,"nonprc",F,"OUI","Dallmeier (Germany)")
r(K,"IDIS","","00:03:22:12:34:56","nvr","S","seg",None,"nonprc",F,"OUI+CCDB","IDIS (Korea) recorder")
r(K,"GeoVision","","00:13:E2:12:34:56","camera","S","seg",None,"nonprc",F,"OUI+CCDB","GeoVision (Taiwan)")
r(K,"ACTi","","", "camera","S","seg",None,"nonprc",F,"CCDB","ACTi (Taiwan) camera")
r(K,"March Networks","","00:10:BE:12:34:56","nvr","S","core",None,"unknown",Q,"OUI+IPVM-INFINOVA","March Networks (Canada) recorder on core; owned by Infinova (Shenzhen-listed) since 2011, so contested like Swann (lead's review correction)")
r(K,"FLIR","","00:1B:D8:12:34:56","camera","S","seg",None,"nonprc",F,"OUI+CCDB","FLIR (Teledyne, US) thermal")
r(K,"Arecont Vision","","00:1A:07:12:34:56","camera","S","seg",None,"nonprc",F,"OUI","Arecont Vision (US)")
r(K,"Canon","VB-H47","", "camera","S","core",None,"nonprc",F,"CCDB","Canon (Japan) on core")
r(K,"2N","IP Verso","7C:1E:B3:12:34:56","video-intercom","S","seg",None,"nonprc",F,"OUI+CCDB","2N Telekomunikace (Czechia) intercom")
r(K,"Aiphone","IX-DV","00:0B:AA:12:34:56","video-intercom","S","seg",None,"nonprc",F,"OUI","Aiphone (Japan) intercom")
r(K,"Paxton","Net2 Plus","00:0B:D6:12:34:56","access-control","S","core",None,"nonprc",F,"OUI","Paxton (UK) access control")
r(K,"Milestone Systems","Husky","", "nvr","S","seg",None,"nonprc",F,"MILESTONE-SRC","Milestone (Denmark) recorder: not Milesight")
r(K,"Arlo","","48:62:64:12:34:56","camera","S","seg",None,"nonprc",F,"OUI+CCDB","Arlo (US)")
r(K,"Ring","","00:B4:63:12:34:56","camera","N","seg",None,"nonprc",F,"OUI+CCDB","Ring (Amazon, US)")
r(K,"Netatmo","","70:EE:50:12:34:56","camera","S","seg",None,"nonprc",F,"OUI+CCDB","Netatmo (France)")
r(K,"Ajax Systems","","9C:75:6E:12:34:56","camera","S","seg",None,"nonprc",F,"OUI+CCDB","Ajax (UAE registrant; Ukrainian company)")
r(K,"Motorola Solutions","","00:18:85:12:34:56","other","S","core",None,"nonprc",F,"OUI","Motorola Solutions radio gear")
r(K,"Genetec","Synergis Cloud Link","00:BF:15:12:34:56","access-control","S","core",None,"nonprc",F,"OUI","Genetec (Canada)")

# ---- network gear and IT ----
K="network-gear"
r(K,"Cisco","C9300-48P","", "network","S","core",None,"nonprc",F,"ISSUE14+OUI","issue's case: a Cisco switch on the core network is Compliant (and the reason must not deny the core)")
r(K,"Cisco Systems, Inc","","00:1B:54:12:34:56","network","N","core",None,"nonprc",F,"OUI","Cisco MA-L on core")
r(K,"Cisco Meraki","MS225-48FP","", "network","S","core",None,"nonprc",F,"OUI","Meraki switch")
r(K,"HPE Aruba","JL256A","", "network","S","core",None,"nonprc",F,"OUI","Aruba 2930F (HPE)")
r(K,"Hewlett Packard Enterprise","","", "network","N","core",None,"nonprc",F,"OUI","HPE name only")
r(K,"Dell","PowerEdge R740","", "other","S","core",None,"nonprc",F,"OUI","Dell server")
r(K,"Dell Inc.","","", "nvr","S","seg",None,"nonprc",F,"OUI","Dell server used as a VMS recorder: known non-PRC maker")
r(K,"HP","ProLiant DL380 Gen10","", "other","S","core",None,"nonprc",F,"OUI","HP server")
r(K,"Juniper Networks","EX4300-48P","", "network","S","core",None,"nonprc",F,"OUI","Juniper switch")
r(K,"Fortinet","FortiGate 60F","", "network","S","core",None,"nonprc",F,"OUI","Fortinet firewall")
r(K,"Ubiquiti","USW-Pro-24-PoE","", "network","N","core",None,"nonprc",F,"OUI","UniFi switch")
r(K,"NETGEAR","GS728TP","", "network","N","seg",None,"nonprc",F,"OUI","Netgear switch")
r(K,"Zyxel","","", "network","S","core",None,"nonprc",F,"OUI","Zyxel (Taiwan)")
r(K,"D-Link","DCS-8300LH","", "camera","S","seg",None,"nonprc",F,"OUI+NAMERULES","D-Link (Taiwan) camera")
r(K,"Synology","","00:11:32:12:34:56","nvr","S","seg",None,"nonprc",F,"OUI","Synology (Taiwan) NAS as recorder")
r(K,"MikroTik","","4C:5E:0C:12:34:56","network","S","core",None,"nonprc",F,"OUI","MikroTik (Latvia)")
r(K,"TP-Link","TL-SG1218PE","", "network","S","core",None,"unknown",Q,"TPL-WIKI+ISSUE14","genuine TP-Link switch: maker contested (PRC TP-LINK Technologies / TP-Link Systems US); non-surveillance: Compliant")
r(K,"H3C","S5130S-28S-EI","", "network","S","core",None,"prc",P,"OUI","New H3C (Hangzhou) switch: Advisory")
r(K,"Ruijie Networks","","", "network","N","core",None,"prc",P,"OUI","Ruijie (Fuzhou) switch: Advisory")
r(K,"Tenda","","", "network","N","seg",None,"prc",P,"OUI","Shenzhen Tenda router: Advisory")
r(K,"ZTE Corporation","","", "network","S","core",None,"prc",P,"OUI+EAC-889","ZTE: Advisory")

# ---- contested makers ----
K="contested"
r(K,"TP-Link","VIGI C540","", "camera","S","seg",None,"unknown",Q,"TPL-WIKI+FRIGATE-CAM+ISSUE14","genuine TP-Link VIGI camera: maker contested; sensitive: NeedsReview")
r(K,"TP-Link","VIGI C340","", "camera","N","seg",None,"unknown",Q,"TPL-WIKI+CCDB","contested maker at non-exposed site: Compliant")
r(K,"Tapo","C200","", "camera","N","core",None,"unknown",Q,"TPL-WIKI+CCDB","Tapo (TP-Link) on core: NeedsReview")
r(K,"TP-Link Systems Inc.","","", "camera","S","seg",None,"unknown",Q,"OUI+TPL-WIKI","TP-Link Systems (US) named: contested")
r(K,"Reolink","RLC-810A","EC:71:DB:12:34:56","camera","S","seg",None,"unknown",Q,"OUI+FRIGATE-CAM","Reolink's registrant address is Mong Kok, Hong Kong (the registry's country field says China): not mainland; contested")
r(K,"Reolink","RLC-823A","", "camera","N","sa",None,"unknown",Q,"CCDB","Reolink at non-exposed site: Compliant")
r(K,"Lorex","LNB8005","00:1F:54:12:34:56","camera","S","seg",None,"unknown",Q,"OUI+DAHUA-LOREX-ANN+TXAG-LOREX","Lorex: Dahua subsidiary until Nov 2022, now Skywatch (Taiwan); Dahua components alleged: contested")
r(K,"Swann","","BC:51:FE:12:34:56","camera","U","seg",None,"unknown",Q,"OUI+IPVM-INFINOVA+BLACKBOX","Swann (Australia, Infinova-owned), reported OEM links: contested")
r(K,"Amcrest","IP5M-T1179E","", "camera","S","seg",None,"unknown",Q,"AMCREST-GH+AMCREST-API+CCDB","Amcrest (US) reported Dahua OEM: contested")
r(K,"Amcrest","","9C:8E:CD:12:34:56","camera","N","seg",None,"unknown",Q,"OUI+AMCREST-GH","Amcrest's own (US) block at a non-exposed site: Compliant")
r(K,"Prama Hikvision","","24:B1:05:12:34:56","camera","S","seg",None,"prc",P,"OUI+PRAMA-2019","Prama Hikvision India: Hikvision's Indian joint venture selling Hikvision designs; the project's reference IEEE extract counts its blocks as PRC-vendor blocks (lead's review correction: a Hikvision JV is not cleared)")
r(K,"Infinova","","00:18:8A:12:34:56","camera","S","seg",None,"unknown",Q,"OUI+IPVM-INFINOVA","Infinova (Shenzhen-listed) US registrant: contested")

# ---- unknown maker / blank fields ----
K="unknown-maker"
r(K,"","","", "camera","S","seg",None,"unknown",F,"POLICY","nothing known, sensitive: NeedsReview")
r(K,"","","", "camera","N","seg",None,"unknown",F,"POLICY","nothing known, non-sensitive segregated: Compliant")
r(K,"","","", "camera","N",None,None,"unknown",F,"POLICY","nothing known, segment unknown: NeedsReview")
r(K,"","","", "nvr","U","sa",None,"unknown",F,"POLICY","nothing known, sensitivity unknown: NeedsReview")
r(K,"","","", "camera","N","core",None,"unknown",F,"POLICY","nothing known, core: NeedsReview")
r(K,"Generic","IP Camera","", "camera","S","seg",None,"unknown",F,"POLICY","generic words are no maker")
r(K,"Unknown","","", "dvr","N","sa",None,"unknown",F,"POLICY","'Unknown' written in the cell")
r(K,"N/A","","", "camera","S","seg",None,"unknown",F,"POLICY","'N/A' written in the cell")
r(K,"","IPC","", "camera","S","seg",None,"unknown",F,"POLICY-MODELS","'IPC' alone is ambiguous")
r(K,"","","", "access-control","S","core",None,"unknown",F,"POLICY","unknown maker of access control: Compliant")
r(K,"","","", "network","U",None,None,"unknown",F,"POLICY","unknown maker of network gear: Compliant")
r(K,"CCTV Installer Ltd","","", "camera","U",None,None,"unknown",F,"POLICY","installer name only, nothing known")

# ---- fuzzy-matching guards: real brands that must not become PRC brands ----
K="fuzzy-guard"
r(K,"Tandy","","", "camera","S","seg",None,"unknown",F,"ISSUE14","issue's case: Tandy is not Tiandy; unknown maker at sensitive site: NeedsReview")
r(K,"Tandy","","", "other","S","seg",None,"unknown",F,"ISSUE14","Tandy non-surveillance: Compliant")
r(K,"Hochiki","","", "other","S","seg",None,"unknown",F,"OUI","Hochiki (Japan) fire detection is not Hikvision")
r(K,"Unify","","", "other","S","core",None,"unknown",F,"RECOG","Unify is not Uniview")
r(K,"Milestone","XProtect Corporate","", "other","N","core",None,"unknown",F,"MILESTONE-SRC","Milestone is not Milesight")
r(K,"Hyster","","", "other","N","sa",None,"unknown",F,"ISSUE14","Hyster (forklifts) is not Hytera")
r(K,"Tandberg","","", "other","S","core",None,"unknown",F,"RECOG","Tandberg (video conferencing) is not Tenda/Tiandy")
r(K,"Hikari","","", "other","N","seg",None,"unknown",F,"OUI","Hikari Co. (Japan) is not Hikvision")
r(K,"Sunnell","","", "camera","S","seg",None,"prc",P,"OUI","a real typo of Sunell (one extra n) on a camera: PRC maker")
r(K,"Kodak","","", "camera","N","seg",None,"unknown",F,"ISSUE14","Kodak is not Kedacom; non-exposed unknown: Compliant")
r(K,"Dahle","","", "camera","S","seg",None,"unknown",F,"ISSUE14","Dahle (shredders) is not Dahua; unknown maker camera at sensitive site: NeedsReview")
r(K,"Honeywell","","", "camera","S","seg",None,"nonprc",F,"OUI","Honeywell (US) is not Hanwha nor Hikvision")

# ---- site facts as the register states them (issue item 6) ----
K="site-facts"
r(K,"Hikvision","DS-2CD2143G2-I","", "camera","X","seg","2021-01-01","prc",P,"ISSUE14","stated sensitive without a site id: sensitive, before: High")
r(K,"Dahua","NVR4108HS-8P-4KS2","", "nvr","X","seg","2023-05-05","prc",P,"ISSUE14","stated sensitive without a site id, after: Critical")
r(K,"Uniview","","", "camera","Xn","sa",None,"prc",P,"ISSUE14","stated sensitive, site name but no id: High")
r(K,"Hikvision","","", "camera","Y","seg",None,"prc",P,"ISSUE14","stated not sensitive without a site id, segregated: Advisory")
r(K,"","","", "camera","X","seg",None,"unknown",F,"ISSUE14","unknown maker, stated sensitive without site id: NeedsReview")
r(K,"Axis","P3245-LVE","", "camera","X","core",None,"nonprc",F,"ISSUE14","known non-PRC maker without site id: Compliant")
r(K,"Hikvision","","", "camera","U","core",None,"prc",P,"POLICY","sensitivity unknown but core: Critical")
r(K,"Hikvision","","", "camera","S",None,"2021-01-01","prc",P,"POLICY","sensitive, segment unknown, before: High (the sensitive-site rule applies whatever the segment)")
r(K,"Dahua","","", "camera","N0","sa",None,"prc",P,"POLICY","sensitivity written 0: not sensitive: Advisory")
r(K,"Dahua","","", "camera","No","seg",None,"prc",P,"POLICY","sensitivity written no")

# ---- removed devices ----
K="removed"
r(K,"Dahua","IPC-HFW1230S","", "camera","S","core","2019-01-01","prc",P,"POLICY","removed from service: Removed", status="removed")
r(K,"","","00:00:00:00:00:00","camera","S","seg",None,"unknown",F,"POLICY","removed, unknown maker: Removed", status="removed")

# ---- the 50 rows written before this issue: kind, evidence class and basis (labels re-derived below) ----
OLD = {
 "L01":("prc-legal-name","prc",P,"OUI+WIKI-HIK-2024"), "L02":("prc-name-typo","prc",P,"WIKI-HIK-2024"),
 "L03":("model-as-typed","prc",P,"POLICY-MODELS"), "L04":("model-as-typed","prc",P,"POLICY-MODELS+EK-DAHUA"),
 "L05":("prc-legal-name","prc",P,"OUI+WIKI-DAHUA"), "L06":("prc-name-typo","prc",P,"WIKI-DAHUA"),
 "L07":("prc-name-typo","prc",P,"WIKI-HIK-2024"), "L08":("fuzzy-guard","unknown",F,"POLICY"),
 "L09":("fuzzy-guard","unknown",F,"POLICY"), "L10":("trusted-maker","nonprc",F,"POLICY"),
 "L11":("trusted-maker","nonprc",F,"CCDB"), "L12":("fuzzy-guard","unknown",F,"POLICY"),
 "L13":("trusted-maker","nonprc",F,"CCDB"), "L14":("prc-own-brand","prc",P,"CCDB+EL-UNIVIEW"),
 "L15":("prc-own-brand","prc",P,"GH-CODE+EL-UNIVIEW"), "L16":("prc-own-brand","prc",P,"FDD-TIANDY"),
 "L17":("network-gear","prc",P,"HUAWEI-OWN"), "L18":("network-gear","prc",P,"EAC-889"),
 "L19":("prc-smaller-maker","prc",P,"OUI"), "L20":("prc-sub-brand","prc",P,"YICAI-2025"),
 "L21":("prc-sub-brand","prc",P,"WIKI-HIK-2024+POLICY-MODELS"), "L22":("trusted-maker","nonprc",F,"CCDB"),
 "L23":("trusted-maker","nonprc",F,"CCDB"), "L24":("contested","unknown",Q,"DAHUA-LOREX-ANN+TXAG-LOREX"),
 "L25":("contested","unknown",Q,"OUI"), "L26":("contested","unknown",Q,"IPVM-INFINOVA+BLACKBOX"),
 "L27":("trusted-maker","nonprc",F,"CCDB"), "L28":("prc-smaller-maker","prc",P,"OUI+CCDB"),
 "L29":("prc-name-typo","prc",P,"WIKI-HIK-2024"), "L30":("mac-prc","prc",P,"OUI"),
 "L31":("mac-prc","prc",P,"OUI+REGFORMATS"), "L32":("trusted-maker","nonprc",F,"CCDB"),
 "L33":("trusted-maker","nonprc",F,"CCDB"), "L34":("trusted-maker","nonprc",F,"CCDB"),
 "L35":("trusted-maker","nonprc",F,"CCDB"), "L36":("trusted-maker","nonprc",F,"CCDB"),
 "L37":("trusted-maker","nonprc",F,"CCDB"), "L38":("contested","unknown",Q,"TPL-WIKI"),
 "L39":("prc-own-brand","prc",P,"EAC-889"), "L40":("prc-own-brand","prc",P,"GH-CODE+WIKI-HIK-2024"),
 "L41":("prc-own-brand","prc",P,"GH-CODE+WIKI-DAHUA"), "L42":("removed","prc",P,"POLICY"),
 "L43":("trusted-maker","nonprc",F,"OUI"), "L44":("prc-smaller-maker","prc",P,"OUI"),
 "L45":("prc-smaller-maker","prc",P,"IPVM-XM"), "L46":("prc-smaller-maker","prc",P,"OUI"),
 "L47":("prc-smaller-maker","prc",P,"OUI+CCDB"), "L48":("unknown-maker","unknown",F,"POLICY-MODELS"),
 "L49":("trusted-maker","nonprc",F,"CCDB"), "L50":("fuzzy-guard","nonprc",F,"MILESTONE-SRC"),
}
# Rows whose earlier label this labelling changes, and why (also in labelled-register.md).
RELABELLED = {"L10": "Hitachi (Japan) is a known non-PRC maker: Compliant by the rules, not NeedsReview"}

def parse_sens(v):
    v = v.strip().lower()
    return True if v in ("true","yes","y","1") else False if v in ("false","no","n","0") else None

def build(old_path, out_path):
    rows = list(csv.DictReader(open(old_path, encoding="utf-8")))
    out = []
    changed = []
    for o in rows:
        kind, cls, prc, src = OLD[o["asset_id"]]
        st, sev = label(cls, o["device_type"], parse_sens(o["site_sensitive"]), o["network_segment"] or None, o["installed_on"] or None, o["status"])
        if (st, sev) != (o["expected_status"], o["expected_severity"]):
            assert o["asset_id"] in RELABELLED, (o["asset_id"], st, sev, o["expected_status"], o["expected_severity"])
            changed.append(o["asset_id"])
        why = RELABELLED.get(o["asset_id"], "written before issue 14; label re-derived from the rules")
        out.append({**{k: o[k] for k in HEADER[:13]}, "expected_status": st, "expected_severity": sev, "expected_prc": prc, "kind": kind, "basis": f"{src}: {why}"})
    n = 51
    for i, x in enumerate(R):
        d = DEPTS[i % len(DEPTS)]
        sid, sname, scell, sens = SITES[x["site"]]
        st, sev = label(x["cls"], x["typ"], sens, x["seg"], x["date"], x["status"])
        out.append({"asset_id": f"L{n:03d}", "department": d, "manufacturer": x["man"], "model": x["model"], "serial_number": x["serial"],
            "mac_address": x["mac"], "device_type": x["typ"], "site_id": sid.format(d=d), "site_name": sname, "site_sensitive": scell,
            "network_segment": x["seg"] or "", "installed_on": x["date"] or "", "status": x["status"], "expected_status": st,
            "expected_severity": sev, "expected_prc": x["prc"], "kind": x["kind"], "basis": f"{x['src']}: {x['why']}"})
        n += 1
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    w.writeheader(); w.writerows(out)
    open(out_path, "w", encoding="utf-8", newline="").write(buf.getvalue())
    return out, changed

HEADER = ["asset_id","department","manufacturer","model","serial_number","mac_address","device_type","site_id","site_name","site_sensitive","network_segment","installed_on","status","expected_status","expected_severity","expected_prc","kind","basis"]
if __name__ == "__main__":
    out, changed = build(sys.argv[1], sys.argv[2])
    import collections
    print(len(out), "rows; relabelled:", changed)
    print(collections.Counter(r["kind"] for r in out))
    print(collections.Counter(r["expected_status"] + "/" + r["expected_severity"] for r in out))
    print(collections.Counter(r["expected_prc"] for r in out))
    ids = set()
    for r in out:
        for s in r["basis"].split(":")[0].split("+"): ids.add(s)
    print(sorted(ids))
