#!/usr/bin/env python3
"""Write the synthetic evaluation corpus into eval/corpus/ (standard library only).

    python3 eval/generate_corpus.py            # writes eval/corpus/*.txt and MANIFEST.json
    python3 eval/generate_corpus.py --out DIR  # somewhere else

Every person, company, school, e-mail (@example.com) and phone number (010-0000-xxxx) here is
invented. The texts are fixed below; the seeded random generator only fills in the phone numbers
and the posting reference codes, so the output is the same on every run (byte for byte).

The documents are designed for two evaluation sets (see eval/README.md):
- retrieval: shared vocabulary across documents (Python, SQL, AWS, Figma, Excel...) plus a few
  distinctive exact tokens per document (a company, a project name, a rare certificate);
- fit analysis: several postings have resumes at each fit level (strong, possible, weak, unrelated).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SEED = 20251129
HERE = Path(__file__).resolve().parent

# The 11 shared fixtures (/work/shared/fixtures, i.e. ../shared/fixtures from the repository) are part of
# the retrieval corpus too: text = NAME.expected.txt, "path" in the manifest is relative to that folder.
FIXTURES = [
    ("resume_ko_text.pdf", "resume", "ko", "it_dev"),
    ("resume_en_text.pdf", "resume", "en", "data_ml"),
    ("resume_ko_scan.pdf", "resume", "ko", "it_dev"),
    ("resume_ko_mixed_scan.pdf", "resume", "ko", "it_dev"),
    ("job_posting_ko_screenshot.png", "job_posting", "ko", "data_ml"),
    ("job_posting_en_photo.jpg", "job_posting", "en", "it_dev"),
    ("job_posting_ko.docx", "job_posting", "ko", "data_ml"),
    ("resume_en.docx", "resume", "en", "it_dev"),
    ("job_posting_en.txt", "job_posting", "en", "product_management"),
    ("resume_ko.md", "resume", "ko", "data_ml"),
    ("resume_ko_hwp.hwpx", "resume", "ko", "data_ml"),
]

# (stem, type, language, field, text). "{phone}" and "{ref}" are filled in by the generator.
DOCS: list[tuple[str, str, str, str, str]] = []


def doc(stem: str, type_: str, language: str, field: str, text: str) -> None:
    DOCS.append((stem, type_, language, field, text.strip("\n") + "\n"))


# ---------------------------------------------------------------------------------------------
# Resumes, Korean
# ---------------------------------------------------------------------------------------------

doc(
    "resume_ko_backend_kim",
    "resume",
    "ko",
    "it_dev",
    """
김도현
백엔드 개발자 · Java/Spring 5년차
이메일: dohyun.kim@example.com | 연락처: {phone} | 경기도 수원시 영통구
GitHub: github.com/dohyun-kim-dev

자기소개
커머스 트래픽을 처리하는 주문·쿠폰·정산 API를 Java와 Spring Boot로 개발해 온 5년차 백엔드 개발자입니다.
선착순 쿠폰처럼 순간적으로 요청이 몰리는 기능을 안정적으로 운영한 경험이 있으며, 테스트 코드와 코드 리뷰로
팀의 배포 품질을 높이는 일을 좋아합니다. 최근에는 Kotlin과 이벤트 기반 아키텍처를 공부하고 있습니다.

경력
주식회사 코드마루 | 백엔드 개발자 (커머스플랫폼팀) | 2021.04 ~ 현재
- 월 거래액 400억 원 규모 오픈마켓의 주문·결제 API를 Spring Boot 3와 JPA로 개발 및 운영
- 선착순 쿠폰 발급 시스템 '번개쿠폰'을 Redis 분산 락과 Kafka 기반으로 재구축하여 초당 1만 2천 건 요청 처리
- QueryDSL 동적 쿼리 리팩터링과 MySQL 인덱스 튜닝으로 주문 목록 조회 API 응답 시간을 1.8초에서 240ms로 개선
- 모놀리식 주문 서버에서 정산 모듈을 분리하고 AWS EKS로 이전하여 배포 시간을 40분에서 8분으로 단축
- 신규 입사자 3명의 온보딩 멘토를 맡고 팀 코드 리뷰 가이드 작성
주식회사 다솜커머스 | 주니어 백엔드 개발자 | 2019.10 ~ 2021.03
- 중소 쇼핑몰 어드민 시스템의 상품·재고 API 개발 (Java 11, Spring MVC, MyBatis, Oracle)
- Jenkins 기반 CI 파이프라인과 JUnit 5 단위 테스트를 도입하여 배포 후 장애 건수를 월 6건에서 1건으로 줄임
- 택배사 3곳의 배송 조회 API 연동 모듈 개발

프로젝트
번개쿠폰 선착순 발급 시스템 (2023)
- Redis Lua 스크립트로 쿠폰 재고 차감을 원자적으로 처리하고 발급 결과는 Kafka로 비동기 저장
- nGrinder 부하 테스트로 병목 구간을 찾아 커넥션 풀과 스레드 설정을 조정, 오류율 0.01% 미만 유지
정산 모듈 분리 (2022)
- 일 20만 건 주문의 판매자 정산 배치를 Spring Batch로 재작성하고 실패 건 재처리 기능 추가
- 정산 금액 검증 리포트를 자동화하여 월말 수작업 대사 시간을 2일에서 2시간으로 단축

기술 스택
언어: Java, Kotlin(학습 중), SQL
프레임워크: Spring Boot, Spring Batch, Spring Security, JPA, QueryDSL, MyBatis
데이터베이스: MySQL, Oracle, Redis
메시징/인프라: Kafka, AWS (EC2, RDS, EKS, S3), Docker, Jenkins, GitHub Actions
모니터링: Datadog, Pinpoint

학력
한솔대학교 소프트웨어학과 학사 졸업 (2013.03 ~ 2019.08)

개발 문화 기여
- 팀 내 테스트 커버리지 기준(라인 70%)을 제안하고, 테스트 작성 가이드와 예제 저장소를 정리
- 사내 스터디 '오브젝트 읽기 모임' 운영 (2022, 10주)
- 장애 회고 문서 템플릿을 만들어 팀 공통 양식으로 채택

자격증 및 어학
- 정보처리기사 (2018.11)
- Oracle Certified Professional: Java SE 11 Developer (2020.06)
- OPIc IM2 (2023.02)
""",
)

doc(
    "resume_ko_designer_yoon",
    "resume",
    "ko",
    "design",
    """
윤서아
프로덕트 디자이너 (UX/UI) · 6년차
이메일: seoa.yoon@example.com | 연락처: {phone} | 서울특별시 송파구
포트폴리오: seoa-yoon.example.com

소개
헬스케어 앱과 커머스 서비스를 중심으로 리서치부터 UI, 디자인 시스템까지 제품 디자인 전 과정을 맡아 온
6년차 프로덕트 디자이너입니다. 사용자 인터뷰와 데이터 분석으로 문제를 정의하고, 개발자와 같은 언어로
이야기하는 디자이너가 되려고 노력합니다.

경력
주식회사 핏메이트 | 리드 프로덕트 디자이너 | 2021.09 ~ 현재
- 누적 다운로드 150만 회의 운동 기록 앱 '핏메이트' 리디자인을 주도하여 앱스토어 평점을 3.9에서 4.6으로 개선
- 디자인 시스템 'Pebble DS'를 구축하고 컴포넌트 180여 개와 디자인 토큰을 Figma 라이브러리로 관리
- 구독 결제 플로우 개선 실험 12회를 설계하고 Amplitude 퍼널 분석으로 유료 전환율을 2.1%에서 3.4%로 향상
- 디자이너 3명으로 구성된 팀을 리드하며 주간 디자인 크리틱 운영
스튜디오 온새미 | UI 디자이너 | 2019.03 ~ 2021.08
- 금융·공공기관 웹사이트와 모바일 앱 UI 디자인 20여 건 수행
- 웹 접근성 인증 획득을 위한 색 대비, 포커스 상태 가이드 작성
- Zeplin과 Protopia로 개발 전달용 인터랙션 프로토타입 제작

프로젝트
핏메이트 온보딩 개편 (2024)
- 신규 사용자 인터뷰 15회와 Maze 비대면 사용성 테스트로 가입 단계 이탈 원인 도출
- 온보딩 단계를 7단계에서 4단계로 줄여 첫 주 잔존율 18% 향상
Pebble DS 구축 (2022 ~ 2023)
- 프론트엔드 개발자와 함께 Storybook 연동 규칙을 정의하여 디자인과 코드의 불일치 60% 감소
- 다크 모드 색상 토큰 체계 설계, 컴포넌트 문서 페이지 운영
구독 리텐션 캠페인 (2023)
- 해지 직전 사용자를 위한 일시정지 옵션 화면을 설계해 월 해지율 1.2%p 감소

협업 방식
- 기획 초기부터 PM, 엔지니어와 함께 문제 정의 문서를 쓰고, 화면보다 먼저 성공 지표를 합의합니다.
- 개발 전달 시 Figma 개발 모드와 컴포넌트 명세를 함께 제공하고, QA 단계에서 디자인 리뷰를 직접 진행합니다.
- 디자인 결정은 근거와 함께 기록해 두어 새로 합류한 동료도 맥락을 이해할 수 있게 합니다.

디자인 원칙
- 사용자가 같은 작업을 두 번 배우지 않게 한다: 반복되는 패턴은 반드시 컴포넌트로 만든다.
- 예쁜 화면보다 빠른 이해: 첫 화면에서 다음 행동이 보여야 한다.
- 출시 후 2주 안에 지표를 다시 본다.

수상 및 활동
- 사내 해커톤 대상 (2022, 운동 루틴 추천 기능 프로토타입)
- 디자인 커뮤니티 세미나 발표: "작은 팀의 디자인 시스템 운영기" (2023)

기술 및 도구
디자인: Figma, FigJam, Protopia, Adobe Illustrator, Photoshop, After Effects
리서치/분석: Maze, Amplitude, Google Analytics 4, Hotjar
협업: Jira, Notion, Slack, Zeplin
기타: HTML/CSS 기초, Lottie 애니메이션

학력
서하대학교 시각디자인학과 학사 졸업 (2014.03 ~ 2019.02)

자격증
- 컬러리스트기사 (2018.11)
- GTQ 포토샵 1급 (2016.07)
""",
)

doc(
    "resume_ko_accountant_park",
    "resume",
    "ko",
    "finance_accounting",
    """
박지훈
재무회계 매니저 · 한국공인회계사(KICPA) · 경력 8년
이메일: jihoon.park@example.com | 연락처: {phone} | 서울특별시 영등포구

요약
회계법인 감사본부 3년과 코스피 상장 제조기업 재무팀 5년을 거친 공인회계사입니다. 월·분기 결산과
연결재무제표 작성, 외부감사 대응, K-IFRS 신규 기준서 도입을 담당했으며, SAP S/4HANA 전환 프로젝트에서
FI 모듈 현업 리드를 맡았습니다. 숫자의 정확성과 마감 일정을 동시에 지키는 결산 프로세스를 만드는 데
강점이 있습니다.

경력
대성케미칼 주식회사 | 재무팀 과장 | 2020.07 ~ 현재
- 국내 본사와 해외 종속회사 6곳(중국, 베트남, 미국)의 연결결산을 총괄하여 분기 결산 기간을 D+12에서 D+7로 단축
- K-IFRS 1116호(리스) 도입 시 리스 계약 340건을 분석하고 회계처리 정책 수립
- 외부감사인 대응: 핵심감사사항(KAM) 관련 자료 준비 및 내부회계관리제도 운영평가 지원
- 사업보고서·분기보고서 재무 부문 작성 및 DART 공시
- 'Project ONE' SAP S/4HANA 전환 프로젝트 FI 현업 리드: 계정과목 체계 재설계, 데이터 이관 검증, 사용자 교육
온솔회계법인 | 감사본부 시니어 | 2017.09 ~ 2020.06
- 제조·유통·바이오 업종 상장사 및 비상장사 15개사 회계감사 수행
- 재고자산 실사 입회, 매출채권 조회, 유·무형자산 손상검사 검토
- 바이오 기업 IPO 대비 지정감사와 과거 재무제표 재작성 지원

주요 성과
- 내부회계관리제도 통제 테스트 결과 미비점 0건 유지 (2021 ~ 2024)
- Excel VBA와 Power Query로 연결조정 분개 작업을 자동화하여 월 40시간 절감
- 법인세 세무조정 검토로 가산세 위험을 사전에 제거 (2022 사업연도)
- 재무팀 신입 교육 커리큘럼을 작성하고 연 2회 K-IFRS 사내 교육 진행

프로젝트 상세: Project ONE (SAP S/4HANA 전환, 2022.03 ~ 2023.06)
- 기존 ECC 환경의 계정과목 1,900여 개를 1,150개로 통합하고 관리회계(CO) 원가센터 구조를 재설계
- 외부 컨설팅사와 함께 결산 시나리오 테스트 4회 수행, 전환 후 첫 결산을 일정 지연 없이 마감
- 현업 사용자 60명을 대상으로 전표 입력과 결산 리포트 교육 진행

업무 방식
- 결산 체크리스트와 일정표를 팀 전체가 공유하고, 매 결산 후 회고로 병목 업무를 줄여 왔습니다.
- 감사인과의 이견은 기준서 문단과 근거 자료로 정리해 빠르게 합의점을 찾습니다.
- 해외 종속회사 재무 담당자와 영어로 월 2회 결산 회의를 진행합니다.

기술
ERP·시스템: SAP FI/CO (S/4HANA), 더존 iCUBE, DART 전자공시
분석 도구: Excel (VBA, Power Query, 피벗), Power BI
회계기준: K-IFRS, 일반기업회계기준, 연결회계, 리스·금융상품 회계

학력
가람대학교 경영학과 학사 졸업 (2010.03 ~ 2016.02)

자격증 및 어학
- 한국공인회계사 (KICPA, 2016.12 합격, 2019 등록)
- 재경관리사 (2014.06)
- 전산세무 1급 (2015.08)
- TOEIC 905 (2024.03)
""",
)

doc(
    "resume_ko_nurse_song",
    "resume",
    "ko",
    "nursing_healthcare",
    """
송하린
간호사 (내과계 중환자실 4년 · 외과 병동 2년)
이메일: harin.song@example.com | 연락처: {phone} | 인천광역시 연수구

자기소개
내과계 중환자실에서 4년, 외과 병동에서 2년간 근무한 6년차 간호사입니다. 인공호흡기, CRRT, ECMO 적용
환자 간호 경험이 있으며, 프리셉터로서 신규 간호사 5명을 교육했습니다. 근거 기반 간호와 환자 안전을 가장
중요한 가치로 생각하며, 보호자가 이해할 수 있는 말로 설명하는 간호사가 되고자 합니다.

경력
새빛대학교병원 | 내과계 중환자실(MICU) 간호사 | 2021.03 ~ 현재
- 20병상 MICU에서 중증 호흡부전, 패혈증, 다발성 장기부전 환자 간호 (간호사 1인당 환자 2명)
- 지속적 신대체요법(CRRT) 기기 세팅 및 모니터링, ECMO 적용 환자 간호 보조
- 중심정맥관 관련 혈류감염(CLABSI) 감소 QI 활동에 참여하여 발생률을 1,000 카테터일당 2.8건에서 1.1건으로 낮춤
- 프리셉터로 신규 간호사 5명을 교육하고 부서 인공호흡기 간호 매뉴얼 개정
- 신속대응팀(RRT) 호출 시 병동 환자 이송과 초기 처치 지원
해솔병원 | 외과 병동 간호사 | 2019.02 ~ 2021.02
- 40병상 일반외과·정형외과 병동에서 수술 전후 간호와 통증 관리 담당
- 낙상 예방 프로토콜을 적용하여 병동 낙상 건수를 연 14건에서 5건으로 감소
- 차세대 EMR 도입 시 병동 슈퍼유저로서 간호사 교육 담당

학력
다온간호대학교 간호학과 학사 졸업 (2015.03 ~ 2019.02)

면허 및 자격
- 간호사 면허 (보건복지부, 2019.02)
- BLS Provider (2024 갱신)
- ACLS Provider (2023)
- KALS 한국전문소생술 (2022)

주요 간호 사례
- 패혈성 쇼크 환자의 번들 치료(수액 소생, 승압제, 혈액배양) 과정에서 시간대별 기록 양식을 개선하여 1시간 번들
  준수율을 72%에서 91%로 높이는 데 기여
- CRRT 필터 조기 응고 문제를 줄이기 위해 항응고 프로토콜 점검표를 만들고 교대 시 인계 항목에 포함, 필터 평균
  사용 시간을 31시간에서 46시간으로 연장
- 임종기 환자 가족을 위한 면회 안내문과 상담 절차를 사회복지팀과 함께 정리

교육 및 활동
- 중환자간호 심화과정 수료 (새빛대학교병원 간호부, 2022)
- 간호부 QI 경진대회 우수상 (2023, CLABSI 감소 활동)
- 병원 감염관리 교육 보조 강사 (2024)

자기소개 (지원 동기)
중환자실에서 일하며 가장 크게 배운 것은 작은 변화를 먼저 알아차리는 습관입니다. 야간 근무 중 한 환자의
소변량이 두 시간 연속 줄어든 것을 보고 바로 보고하여 급성 신손상을 조기에 치료할 수 있었던 경험이 있습니다.
앞으로도 중환자 간호 역량을 더 깊게 쌓고, 후배 간호사들이 같은 습관을 가질 수 있도록 돕고 싶습니다.
3교대 근무에 익숙하며, 나이트 근무도 가능합니다.

업무 역량
- 중환자 사정, 혈역학 모니터링, 동맥관 관리
- 인공호흡기 적용 환자 간호, 기관 흡인, 조기 이상 징후 보고
- 진정·통증 평가 도구(RASS, CPOT) 사용
- EMR 간호 기록, 기본 Excel
""",
)

doc(
    "resume_ko_hr_lee",
    "resume",
    "ko",
    "hr",
    """
이하은
HR 매니저 (채용 · HRBP) · 6년차
이메일: haeun.lee@example.com | 연락처: {phone} | 서울특별시 관악구

요약
IT 기업과 유통 기업에서 채용, 온보딩, 평가·보상 운영을 두루 경험한 6년차 HR 매니저입니다. 개발자 채용
파이프라인을 설계해 연간 70명 이상을 채용했고, 데이터로 채용 병목을 찾아 개선하는 일을 즐깁니다.
조직이 빠르게 커질 때 리더와 구성원 사이에서 기준과 맥락을 전달하는 HRBP 역할을 맡고 있습니다.

경력
주식회사 루미나소프트 | HR 매니저 (People팀) | 2021.06 ~ 현재
- 임직원 120명에서 310명으로 성장하는 기간에 채용 전 과정을 리드, 연평균 75명 채용 (개발 직군 60%)
- ATS(그리팅) 도입과 채용 단계별 전환율 대시보드를 구축하여 평균 채용 소요 기간을 52일에서 31일로 단축
- 온보딩 프로그램 '첫걸음 30일'을 설계하여 입사 90일 내 퇴사율을 14%에서 6%로 낮춤
- 반기 성과 평가(OKR과 360도 피드백) 운영 및 보상 테이블 설계 지원
- 개발 조직 HRBP로서 리더 1:1 코칭과 조직 개편 커뮤니케이션 지원
주식회사 청람유통 | 인사팀 사원~대리 | 2019.01 ~ 2021.05
- 매장 직원을 포함한 900명 규모의 근태·급여 데이터 관리, 4대보험 취득·상실 신고
- 주 52시간제 도입에 따른 유연근무·선택근무 제도 설계 지원
- 노사협의회 간사 업무와 취업규칙 개정 실무

주식회사 청람유통 이전 경력
- 에이치알플러스 컨설팅 | HR 컨설팅 인턴 | 2018.07 ~ 2018.12: 중소기업 직무 분석과 직급 체계 설계 프로젝트 보조

프로젝트
- 테크 채용 브랜딩: 개발자 인터뷰 콘텐츠 24편을 기획하여 채용 페이지 지원자 수 2.3배 증가
- 리더십 교육 '리더의 첫 90일' 운영 (신임 리더 18명 참여, 만족도 4.7/5)
- 해외 개발자 채용 파일럿: 영어 인터뷰 가이드를 만들고 베트남 개발자 4명 채용
- 보상 체계 개편 지원: 직군별 시장 보상 데이터를 수집해 연봉 밴드 초안을 만들고 경영진 보고 자료 작성
- 구조화 면접 도입: 직무별 평가 기준표와 질문 은행을 만들고 면접관 교육 6회 진행, 면접관 간 평가 편차 감소

일하는 방식
- 채용은 현업 리더와 함께 만드는 일이라고 생각합니다. 포지션마다 킥오프 미팅을 열어 필요한 역량과 인터뷰
  질문을 먼저 합의하고, 매주 채용 현황을 공유합니다.
- 모든 지원자에게 결과를 안내하는 것을 원칙으로 하며, 불합격자 대상 설문으로 후보자 경험을 개선했습니다.
- 근로기준법 개정 사항은 월 1회 정리하여 리더들에게 공유합니다.

교육 이수
- 노동법 실무 과정 수료 (2022)
- 평가·보상 설계 실무 과정 수료 (2024)
- HR 데이터 분석 과정 (온라인, 2023)

기술 및 도구
그리팅(ATS), flex(HRIS), Excel (피벗, VLOOKUP, 급여 검증 수식), Google Sheets, Tableau 기초, Notion, Slack

학력
솔빛대학교 심리학과 학사 졸업 (2012.03 ~ 2018.08)

자격증
- 공인노무사 1차 시험 합격 (2020)
- SHRM-CP (2023)
- 컴퓨터활용능력 1급 (2017)
""",
)

doc(
    "resume_ko_quality_jang",
    "resume",
    "ko",
    "manufacturing_quality",
    """
장태웅
품질 엔지니어 · 2차전지 셀 품질 9년
이메일: taewoong.jang@example.com | 연락처: {phone} | 충청북도 청주시 흥덕구

요약
자동차 부품 1차 협력사와 2차전지 셀 제조사에서 9년간 공정 품질, 고객 품질(완성차 OEM 대응), 신뢰성 업무를
담당한 품질 엔지니어입니다. SPC와 FMEA로 공정 산포를 줄이고 8D 보고서로 고객 클레임을 종결해 왔으며,
유럽 완성차 고객의 공정 감사를 영어로 직접 대응한 경험이 있습니다.

경력
주식회사 청우배터리 | 품질보증팀 책임 | 2019.04 ~ 현재
- 전기차용 파우치형 리튬이온 셀 양산 라인(전극·조립·화성 공정)의 공정 품질 담당
- 전극 코팅 두께 SPC 관리 체계를 구축하여 공정능력지수 Cpk를 1.12에서 1.67로 개선
- 전극 코팅 불량 저감 TF 'TF-Coating Zero' 리드: 불량률 2.4%에서 0.7%로 감소, 연 18억 원 비용 절감
- 유럽 완성차 고객의 VDA 6.3 공정 감사와 IATF 16949 인증 심사 대응 (영어 발표 및 질의응답)
- 고객 클레임 8D 보고서 작성과 시정조치 40건 종결, 평균 종결 기간을 45일에서 21일로 단축
- 비전 검사 장비 도입 시 불량 판정 기준을 수립하고 머신비전 업체와 오판정률 검증
대한정밀 주식회사 | 품질관리팀 선임 | 2016.01 ~ 2019.03
- 자동차 변속기 부품(기어, 샤프트)의 수입·공정·출하 검사 체계 운영
- 신차종 APQP 진행 및 PPAP 제출 12건, PFMEA와 관리계획서 작성
- 측정시스템분석(MSA, Gage R&R) 정기 실시와 측정기 교정 관리
- 협력사 품질 감사 연 30회 수행, 협력사 불량률 35% 감소

기술
품질 도구: SPC, FMEA(DFMEA/PFMEA), MSA, APQP, PPAP, 8D, 관리계획서, FTA
통계·시스템: Minitab, JMP, Excel, SAP QM, MES 품질 모듈
규격: IATF 16949, ISO 9001, VDA 6.3
도면: AutoCAD 2D 도면 해독, GD&T

학력
청운대학교 신소재공학과 학사 졸업 (2009.03 ~ 2015.08)

자격증 및 어학
- 품질경영기사 (2015.05)
- 6시그마 블랙벨트 (2021)
- TOEIC 860 (2024.01), OPIc IH

주요 개선 사례
전극 코팅 불량 저감 (TF-Coating Zero, 2022)
- 코팅 두께 편차의 원인을 슬러리 점도, 건조로 온도, 코터 갭 세 가지로 좁히고 실험계획법(DOE)으로 최적 조건 도출
- 공정 조건을 관리계획서에 반영하고, 이상 발생 시 라인을 자동 정지하는 인터록 기준 수립
고객 클레임 대응 (2021)
- 셀 외관 찍힘 불량으로 유럽 고객 라인이 정지된 건에서 24시간 내 봉쇄 조치, 8D 보고서로 6주 만에 종결
- 이후 동일 유형 클레임 재발 0건

기타
- 사내 품질 아카데미 SPC 과정 강사 (2022 ~ 현재)
- 신입 품질 엔지니어 멘토 (연 2명), 8D 작성 가이드 사내 표준화
- 한국품질경영 컨퍼런스 사례 발표: "2차전지 전극 공정의 SPC 적용" (2023)
- 협력사 품질 교육 과정 운영 (FMEA 작성 실습, 연 4회)
""",
)

doc(
    "resume_ko_marketing_oh",
    "resume",
    "ko",
    "marketing",
    """
오세린
브랜드·콘텐츠 마케터 · 4년차
이메일: serin.oh@example.com | 연락처: {phone} | 서울특별시 마포구

소개
화장품 D2C 브랜드와 디지털 미디어에서 SNS 콘텐츠, 인플루언서 캠페인, 브랜드 협업을 기획해 온 4년차
마케터입니다. 숫자보다 이야기를 먼저 떠올리는 편이지만, 캠페인 성과는 GA4와 광고 관리자 데이터로 확인하고
다음 기획에 반영합니다.

경력
주식회사 미르뷰티 | 브랜드 마케터 | 2022.03 ~ 현재
- 비건 스킨케어 브랜드 '물결'의 인스타그램 계정을 운영하여 팔로워를 3.2만 명에서 11만 명으로 성장시킴
- 인플루언서 시딩 캠페인 '#물결챌린지'를 기획하여 캠페인 기간 자사몰 매출 전월 대비 48% 증가
- Meta 광고 소재 A/B 테스트 운영 (월 예산 800만 원), 소재별 CTR 비교로 클릭당 비용 22% 절감
- H&B 스토어 입점 프로모션과 성수동 팝업스토어 2회 기획·운영
- 유튜브 브랜디드 콘텐츠 제작사와 협업하여 영상 6편 총 조회수 210만 회 달성
주식회사 빛고을미디어 | 콘텐츠 에디터 | 2021.01 ~ 2022.02
- 라이프스타일 매거진의 카드뉴스와 숏폼 영상 기획, 주 10건 발행
- 네이버 블로그 SEO 키워드 리서치로 월 방문자 수 2배 증가

프로젝트
- 물결 브랜드 리뉴얼 (2023): 브랜드 톤앤매너 가이드와 패키지 카피 정비, 재구매율 9%p 상승
- 굿즈 협업 '물결 x 동네서점' (2024): 한정판 굿즈 1,500세트 3일 만에 완판

캠페인 상세: #물결챌린지 (2023.05 ~ 2023.06)
- 마이크로 인플루언서 60명에게 제품을 시딩하고, 세안 전후 영상 챌린지 형식의 가이드 제작
- 챌린지 게시물 1,200건 생성, 해시태그 노출 수 870만 회
- 참여 인플루언서별 쿠폰 코드를 발급해 매출 기여도를 측정하고 상위 10명과 장기 앰배서더 계약
- 캠페인 종료 후 결과 보고서 작성: 채널별 도달, 참여율, 쿠폰 매출을 정리해 다음 분기 예산 배분에 반영

지원 동기
브랜드 마케터로 일하며 콘텐츠의 반응은 빠르게 확인할 수 있었지만, 그 반응이 실제 구매와 재구매로 얼마나
이어지는지는 끝까지 추적하지 못한 아쉬움이 있었습니다. 광고 예산을 직접 운영하고 성과를 숫자로 책임지는
퍼포먼스 마케팅으로 역량을 넓히고 싶어 지원하게 되었습니다. 콘텐츠를 만드는 사람의 감각으로 광고 소재를
기획하고, 그 결과를 데이터로 검증하는 마케터가 되겠습니다.

강점과 보완할 점
- 강점: 브랜드 메시지를 콘텐츠로 풀어내는 기획력, 인플루언서·제작사와의 협업 경험, 빠른 실행
- 보완 중: 퍼포먼스 광고 운영과 데이터 분석. 현재 광고 예산은 월 1천만 원 이하 규모만 운영해 보았고,
  SQL은 아직 사용해 본 적이 없어 온라인 과정으로 공부하고 있습니다.

기술 및 도구
채널·광고: Instagram·YouTube 채널 운영, Meta 광고 관리자(기초), 네이버 검색광고(기초), GA4(기초)
제작·협업: Canva, Photoshop, Premiere Pro, Notion

학력
다빈대학교 미디어커뮤니케이션학과 학사 졸업 (2016.03 ~ 2020.08)

자격증
- 검색광고마케터 1급 (2021)
- Google Analytics 자격증 GAIQ (2023)
- 사회조사분석사 2급 (2020)
""",
)

doc(
    "resume_ko_cs_kwon",
    "resume",
    "ko",
    "customer_support",
    """
권나래
CS 파트장 · 고객경험(CX) 7년차
이메일: narae.kwon@example.com | 연락처: {phone} | 경기도 부천시

요약
통신사 고객센터 상담사로 시작해 이커머스 CS 파트장까지 7년간 고객 응대와 상담 조직 운영을 해 왔습니다.
상담 채널 통합, 챗봇 도입, VOC 분석으로 응답 속도와 고객 만족도를 함께 높인 경험이 있습니다. 상담사가
오래 일할 수 있는 환경이 곧 고객 경험이라고 믿습니다.

경력
주식회사 마켓온 | CS 파트장 (고객경험팀) | 2021.02 ~ 현재
- 상담사 14명(정규직 8명, 아웃소싱 6명)으로 구성된 파트 운영, 일평균 문의 2,300건 (채팅 70%, 전화 30%)
- Zendesk와 채널톡을 연동하여 상담 채널을 통합하고 첫 응답 시간(FRT)을 9분에서 2분으로 단축
- 챗봇 '마켓온 톡봇' 시나리오를 설계하여 배송 조회 등 단순 문의의 41%를 자동 해결
- 월간 VOC 리포트 작성: Redash에서 SQL로 문의 유형을 집계하고 상품·물류팀과 개선 과제 12건 도출
- 상담사 채용 면접관과 신입 교육 커리큘럼(2주 과정) 운영, 상담 품질 평가(QA) 기준 수립
- 고객 만족도(CSAT) 4.2점에서 4.6점으로 향상
주식회사 해피콜서비스 | 상담사 → 선임 상담사 | 2018.03 ~ 2021.01
- 통신사 고객센터 인바운드 상담 (요금 문의, 해지 방어), 월평균 1,100콜 처리
- 우수 상담사 3회 선정, 신규 상담사 OJT 담당

자기소개
상담사로 일할 때 가장 힘들었던 것은 같은 불만을 매일 듣지만 바뀌는 것이 없다는 점이었습니다. 그래서 파트장이
된 뒤에는 VOC를 숫자로 정리해 다른 부서에 전달하는 일을 가장 먼저 시작했습니다. 배송 누락 문의가 많던 물류
센터의 포장 검수 단계를 함께 바꾸어 관련 문의를 절반으로 줄인 경험이 가장 보람 있었습니다.

주요 성과 상세
상담 채널 통합 프로젝트 (2022)
- 전화, 채팅, 게시판으로 흩어져 있던 문의를 Zendesk 티켓으로 통합하고 채널톡 상담 내역을 자동 연동
- 매크로 120개를 정비하고 헬프센터 FAQ 80건을 새로 작성하여 반복 문의 감소
마켓온 톡봇 도입 (2023)
- 배송 조회, 교환·반품 접수 등 상위 10개 문의 유형의 시나리오를 설계하고 상담사 연결 기준 정의
- 도입 3개월 후 상담사 1인당 처리 건수 15% 감소, 야간 응답률 100% 달성
아웃소싱 센터 관리 (2021 ~ 현재)
- 외부 위탁 상담사 6명의 품질 평가와 월간 정산 관리, 위탁사와 분기별 KPI 리뷰 진행

기술 및 도구
Zendesk, 채널톡, Redash (SQL 기초), Excel, Google Sheets, Notion, 콜센터 CTI

학력
보람전문대학교 관광경영과 졸업 (2015.03 ~ 2017.02)

교육 이수
- 고객경험(CX) 리더 과정 수료 (2022, 온라인 12주)
- SQL 기초 과정 수료 (2023): Redash 대시보드 작성과 문의 유형 집계 쿼리 실습
- 감정노동 관리자 교육 (2021)

리더로서 중요하게 생각하는 것
- 상담사 1:1 면담을 월 1회 정례화하고, 어려운 고객 응대 후에는 바로 휴식 시간을 보장했습니다.
- 파트 이직률을 연 38%에서 17%로 낮췄습니다.

자격증
- 텔레마케팅관리사 (2018)
- CS Leaders 관리사 (2020)
- 컴퓨터활용능력 2급 (2016)
""",
)

# ---------------------------------------------------------------------------------------------
# Resumes, English
# ---------------------------------------------------------------------------------------------

doc(
    "resume_en_research_ahn",
    "resume",
    "en",
    "research",
    """
JIWON AHN, Ph.D.
Research Scientist - Medical Image Analysis
jiwon.ahn@example.com | {phone} | Daejeon, Korea | scholar.example.com/jiwonahn

Summary
Deep learning researcher with 7 years of experience in medical image analysis: chest CT, chest X-ray and
digital pathology. I work on models that keep their accuracy when the scanner, the hospital or the patient
population changes, and I have taken two detection models from a research prototype to an on-premise
deployment used by radiologists. I enjoy working side by side with clinicians and regulatory staff.

Experience
Lumen Radiology AI (Seoul) - Senior Research Engineer, Jan 2023 - Present
- Lead a team of four building lung nodule detection and malignancy scoring on low-dose chest CT.
- Raised FROC sensitivity at one false positive per scan from 0.81 to 0.89 on an internal test set of 3,200
  scans collected from five hospitals.
- Built the DICOM ingestion and de-identification pipeline (pydicom, Orthanc) and a label QA workflow in which
  two radiologists review disagreements.
- Compressed the detector with knowledge distillation and INT8 TensorRT engines: inference time per scan went
  from 14 s to 2.3 s on a single on-premise GPU server.
- Wrote the performance evaluation sections of the clinical validation report submitted for MFDS approval.
Hanul Institute of Science and Technology, Medical AI Lab - Postdoctoral Researcher, Mar 2021 - Dec 2022
- Self-supervised pretraining (masked image modeling) for chest X-ray classification with 1% of the labels.
- Test-time adaptation across CT scanner vendors; reduced the AUC drop on unseen scanners from 0.07 to 0.02.
- Co-supervised three master's students and ran the lab's GPU cluster (Slurm, 32 GPUs).
Hanul Institute of Science and Technology - Graduate Researcher, Mar 2016 - Feb 2021
- Pulmonary vessel and airway segmentation with uncertainty estimates (3D U-Net variants, nnU-Net baselines).
- Collaboration with a university hospital on whole-slide image tiling for lymph node metastasis detection.

Research Projects
Multi-center lung nodule detection (Lumen Radiology AI, 2023 - present)
- Problem: models trained on one hospital's CT scans lost 6-9 points of sensitivity on scans from other vendors
  and reconstruction kernels.
- Approach: style-consistent augmentation of reconstruction kernels, a kernel-conditioned normalization layer
  and hard-negative mining from vessel bifurcations, the most common false positive.
- Result: sensitivity gap between the best and worst hospital reduced from 9.1 to 2.4 points; the work became
  the MICCAI 2023 paper and the basis of the product model.
Label-efficient chest X-ray triage (Hanul Institute, 2021 - 2022)
- Pretrained a vision transformer with masked image modeling on 400,000 unlabeled radiographs from a partner
  hospital, then fine-tuned with 1% of the labels for 14 findings.
- Matched the fully supervised baseline on pneumothorax and pleural effusion; released the training recipe.
Pathology slide screening (Ph.D. collaboration, 2019 - 2020)
- Tiled whole-slide images at 20x, trained a multiple-instance learning model for lymph node metastasis and
  built a heat-map viewer that pathologists used to review 300 slides.

Teaching and Service
- Lecturer, "Deep Learning for Medical Imaging" summer school (2022, 2023), 40 students each year.
- Organizer of a monthly reading group on domain generalization (2021 - present).

Selected Publications
- J. Ahn, S. Moon, H. Lee. "Scanner-Robust Lung Nodule Detection via Style-Consistent Augmentation." MICCAI 2023.
- J. Ahn, K. Yoo. "Label-Efficient Chest X-ray Classification with Masked Image Modeling." Medical Image Analysis, 2022.
- J. Ahn et al. "Uncertainty-Aware Segmentation of Pulmonary Vessels in Non-Contrast CT." MIDL 2021.
- D. Kim, J. Ahn. "Test-Time Adaptation for 3D Medical Detection." CVPR 2024 Workshop on Domain Adaptation.
- Reviewer for MICCAI (2022-2025) and IEEE Transactions on Medical Imaging.

Education
Ph.D. Biomedical Engineering, Hanul Institute of Science and Technology, 2021
  Thesis: "Deep Learning for Robust Lesion Detection in Chest CT"
B.S. Electrical Engineering, Seorin University, 2015

Skills
Languages: Python, C++ (basic), SQL (basic)
Deep learning: PyTorch, MONAI, nnU-Net, timm, PyTorch Lightning
Medical imaging: DICOM, pydicom, SimpleITK, Orthanc, 3D Slicer
Deployment: ONNX, TensorRT, Triton Inference Server, Docker, Linux
Experiment management: Weights & Biases, Hydra, Slurm

Awards
- MICCAI 2023 Student Travel Award (as mentor of first-author student)
- Best Poster Award, Korean Medical Imaging AI Workshop 2022

Languages
Korean (native), English (fluent; papers, talks and reviews in English)
""",
)

doc(
    "resume_en_marketing_grant",
    "resume",
    "en",
    "marketing",
    """
OLIVIA GRANT
Performance Marketing Lead | Seoul, Korea | olivia.grant@example.com | {phone}

Summary
Performance marketer with 7 years in mobile apps and e-commerce, the last 5 in Seoul. I manage paid
acquisition budgets of up to KRW 600 million a month across Google, Meta, Apple Search Ads, Kakao Moment and
Naver Search Ads, and I measure what they do with AppsFlyer, GA4 and SQL on BigQuery. I like budgets that
move every week because the data says so.

Experience
Kitebird Travel, Seoul - Performance Marketing Lead, Apr 2022 - Present
- Own paid acquisition for a travel booking app in Korea, Japan and Taiwan; monthly budget KRW 450-600 million.
- Moved the team from last-click reporting to AppsFlyer-based incrementality tests; blended CPI down 27%.
- Built ROAS dashboards in Looker Studio on the BigQuery export and run a weekly budget reallocation meeting.
- Manage two marketers and one agency; launched the Japanese market campaigns in 2023.
Harlow Commerce, Seoul - Growth Marketer, Mar 2020 - Mar 2022
- Ran Google Ads (Search, Performance Max) and Meta Advantage+ campaigns for a fashion e-commerce site.
- Set up a creative testing framework of 40 ad variants a month with the design team; ROAS from 310% to 480%.
- Launched app-install campaigns on Kakao Moment and Naver Search Ads for the Korean market.
Mapleline Media, Toronto - Digital Marketing Coordinator, Jun 2018 - Feb 2020
- SEO, newsletters and paid social for a lifestyle publisher; grew newsletter subscribers from 20k to 85k.

Education
B.Comm. Marketing, Lakehurst University, 2018

Skills
Channels: Google Ads, Meta Ads Manager, Apple Search Ads, Kakao Moment, Naver Search Ads, TikTok Ads
Measurement: AppsFlyer, GA4, BigQuery, SQL, Looker Studio, Python (pandas, basic)
Other: Braze (push and in-app campaigns), Figma (reviewing creatives), Excel

Certifications
- Google Ads Search Certification (2024)
- Meta Certified Media Buying Professional (2023)

Languages
English (native), Korean (TOPIK level 4), Japanese (basic)
""",
)

doc(
    "resume_en_sales_novak",
    "resume",
    "en",
    "sales",
    """
MAREK NOVAK
Enterprise Account Executive, B2B SaaS | Seoul, Korea | marek.novak@example.com | {phone}

Summary
Eight years selling B2B software in Korea, five of them to enterprise customers in financial services and
manufacturing. I run long, multi-stakeholder sales cycles with IT, security and procurement, keep a clean
Salesforce pipeline, and work well with Korean system integrators. Business-level Korean (TOPIK level 5).

Experience
Tidewell Software Korea - Enterprise Account Executive, Jan 2021 - Present
- Sell a data security platform to banks, insurers and large manufacturers; closed 11 enterprise deals above
  USD 300k ARR, the largest USD 1.4M over three years.
- Quota attainment: 128% (2022), 141% (2023), 112% (2024) on an annual quota of USD 1.6M.
- Full-cycle sales with MEDDICC qualification and mutual action plans; average cycle of 7 months.
- Co-sell with two Korean SI partners and the public-cloud marketplace team; 30% of new ARR through partners.
- President's Club 2023.
Orbis Cloud - Account Manager, Korea, Mar 2017 - Dec 2020
- Managed 60 mid-market accounts (gaming, retail, logistics); net revenue retention of 118%.
- Renewals, upsell and partner co-selling; built the first Korean-language sales playbook for the region.
Brightwater Trading, Prague - Inside Sales Representative, 2014 - 2016
- Outbound sales of industrial sensors to Central European distributors.

Education
M.B.A., Gyeonghwa University Graduate School of Business, Seoul, 2017
B.A. International Relations, Vltava University, Prague, 2013

Skills
Salesforce, HubSpot, Gong, LinkedIn Sales Navigator, MEDDICC, Challenger Sale, pipeline forecasting,
enterprise contract negotiation, RFP responses

Languages
English (fluent), Czech (native), Korean (TOPIK level 5, business level)
""",
)

doc(
    "resume_en_logistics_rahman",
    "resume",
    "en",
    "logistics",
    """
FARHAN RAHMAN
Logistics and Warehouse Operations Manager | Incheon, Korea | farhan.rahman@example.com | {phone}

Summary
Logistics manager with 10 years in third-party logistics (3PL) and cross-border e-commerce fulfillment in
Korea and Malaysia. I have opened a bonded fulfillment center from an empty building, run warehouse teams of up
to 175 people, and I like operations that are measured every day: order accuracy, dock-to-stock time and cost
per order.

Experience
Bluegate Logistics Korea, Incheon - Operations Manager, Incheon Fulfillment Center, Jun 2020 - Present
- Run a 33,000 m2 bonded fulfillment center for cross-border e-commerce: 55 staff plus up to 120 agency workers.
- Launched the center in 2020: racking layout, SAP EWM go-live, carrier integration with four parcel carriers.
- Order accuracy from 99.2% to 99.87%; dock-to-stock time from 36 hours to 14 hours.
- Opened a 2-8 degree C cold chain zone for health supplements and passed the client's GDP audit.
- Bonded warehouse operations, export declarations and FTA certificates of origin with our customs brokers.
- Cut cost per order by 18% with slotting optimization and a pick-to-light pilot.
Trans-Malacca Freight, Kuala Lumpur - Warehouse Supervisor, then Assistant Manager, Jan 2015 - May 2020
- Inventory control for 12,000 SKUs, cycle counts, KPI dashboards in Excel and Power BI.
- Coordinated sea and air import shipments under Incoterms 2010/2020 with freight forwarders.

Education
B.Eng. Industrial Engineering, Kinta Valley University, Malaysia, 2014

Skills
SAP EWM, WMS and TMS operations, Incoterms 2020, customs and bonded logistics, Lean, 5S, slotting, Power BI,
Excel, SQL (basic)

Certifications
- APICS CSCP (Certified Supply Chain Professional), 2021
- Lean Six Sigma Green Belt, 2019
- Certified Logistics Manager (Korea, 물류관리사), 2022

Languages
English (fluent), Malay (native), Korean (intermediate, conversational)
""",
)

doc(
    "resume_en_support_kang",
    "resume",
    "en",
    "customer_support",
    """
GRACE KANG
Technical Support Specialist | Seoul, Korea | grace.kang@example.com | {phone}

Summary
Four years resolving customer issues for a B2B SaaS payroll product and a consumer payment app. Bilingual in
Korean and English. Comfortable with APIs, logs and SQL, and with explaining technical problems in plain
words. I have not led a team yet; I onboarded two new colleagues as a buddy.

Experience
Payroo Korea (SaaS payroll) - Technical Support Specialist, Feb 2022 - Present
- Resolve 250+ tickets a month in Zendesk (e-mail and chat) with a CSAT of 96%.
- Reproduce API integration issues with Postman, read logs in Kibana and write bug reports in Jira.
- Wrote 70 help-center articles in Korean and English; ticket deflection up 18%.
- Query customer data with SQL on a read-only replica to verify payroll calculations before escalation.
- Escalation point for enterprise customers during the year-end tax settlement season.
Lumipay - Customer Support Agent, Jan 2021 - Jan 2022
- Chat and phone support for a consumer payment app; KYC document review and refund requests.
- Top agent by first-contact resolution for two quarters.

Selected Projects
- Year-end tax settlement readiness (2023): built a troubleshooting decision tree for the 20 most common payroll
  errors; average handling time during January fell from 34 to 21 minutes.
- Help-center migration (2022): moved 140 articles to a new Zendesk Guide theme, added Korean and English search
  synonyms and tracked failed searches every week.
- Bug triage with engineering (2024): proposed a severity template for support-reported bugs that the QA team
  adopted; 90% of P1 bugs now have reproduction steps on the first report.

Education
B.A. English Language and Literature, Sora University, 2020

Skills
Zendesk, Jira Service Management, Postman, Kibana, SQL (basic), Notion, Excel

Certifications
- ITIL 4 Foundation (2023)

Languages
Korean (native), English (fluent, OPIc AL)
""",
)

doc(
    "resume_en_backend_junior_lim",
    "resume",
    "en",
    "it_dev",
    """
JAEHO LIM
Junior Backend Developer | Seoul, Korea | jaeho.lim@example.com | {phone} | github.com/jaeho-lim

Summary
New graduate backend developer (B.S. Computer Science, 2024) with a six-month internship and two team
projects in production. I write Python with FastAPI, design PostgreSQL schemas and deploy with Docker on AWS.
Looking for a junior backend role where code review and mentoring are part of the culture.

Experience
Sunroom Labs - Backend Engineering Intern, Jul 2024 - Dec 2024
- Built REST endpoints for a booking service with FastAPI and SQLAlchemy; 40 endpoints with pytest tests.
- Added Redis caching to the availability API; p95 latency from 480 ms to 120 ms in staging.
- Wrote the Dockerfile and GitHub Actions workflow that deploys the service to AWS EC2.
Campus Coding Club - Teaching Assistant, Mar 2023 - Jun 2023
- Helped 30 first-year students with Python and data structures.

Projects
Moonbus (capstone, 2024)
- Shuttle-bus seat reservation service for students: FastAPI, PostgreSQL, Celery for reminders, React front end
  written by a teammate; 600 users during the pilot semester.
Tidy Receipts (side project, 2023)
- Receipt OCR and expense tracker using Tesseract and a small Django admin.

What I am learning now
- Reading "Designing Data-Intensive Applications" with a study group; notes published on my blog.
- Practising SQL query tuning with EXPLAIN ANALYZE on PostgreSQL; rewrote the Moonbus seat search to use a
  composite index (query time from 90 ms to 6 ms).
- Basic Kubernetes on a home lab (k3s) to understand how services are deployed at larger companies.

Education
B.S. Computer Science, Gaeul University, Seoul, 2020 - 2024 (GPA 3.8/4.5)

Skills
Python, FastAPI, Django (basic), SQLAlchemy, PostgreSQL, Redis, Docker, AWS (EC2, S3), Git, GitHub Actions,
pytest, Linux

Certifications
- Engineer Information Processing (정보처리기사), 2024
- SQLD, 2023
""",
)

doc(
    "resume_en_finance_cho",
    "resume",
    "en",
    "finance_accounting",
    """
YUNA CHO
Finance Manager (General Ledger and FP&A) | Seoul, Korea | yuna.cho@example.com | {phone}

Summary
Finance professional with 6 years at the Korean subsidiaries of global consumer and software companies:
three years in general ledger accounting and month-end close, three years in financial planning and analysis.
I build budgets and rolling forecasts, explain variances to regional leadership in English, and automate
reporting so month-end review takes hours instead of days.

Experience
Kestrel Consumer Korea Ltd. - Senior FP&A Analyst, Mar 2022 - Present
- Own the annual budget and quarterly rolling forecast for a KRW 480 billion revenue business in three channels.
- Present monthly variance analysis (price, volume, mix) to the APAC finance director in Singapore.
- Rebuilt the management reporting pack in Power BI fed from SAP BW; preparation time from 4 days to 1.
- Built a driver-based headcount model in Anaplan used by 14 cost-center owners.
- Review accruals with the accounting team at quarter-end.
Norden Software Korea - General Ledger Accountant, Jan 2019 - Feb 2022
- Month-end close for the Korean entity: AP and AR accruals, fixed assets, bank reconciliations.
- Prepared the K-IFRS reporting package for the US parent and the US GAAP reconciliation.
- Posted and reviewed journal entries in SAP FI; supported the local statutory audit (PBC list, walkthroughs).
- Automated the intercompany reconciliation in Excel and Power Query.

Education
B.A. Economics, Saerom University, Seoul, 2018

Skills
SAP FI (journal entries, period close), SAP BW (reporting), Anaplan, Power BI, Excel (advanced modelling,
Power Query), Google Sheets, SQL (basic)

Certifications
- FPAC (Certified Corporate FP&A Professional), 2023
- CFA Level II candidate (2025)
- 재경관리사 (Korean financial accounting certificate), 2018

Languages
Korean (native), English (fluent, IELTS 7.5)
""",
)

doc(
    "resume_en_quality_baek",
    "resume",
    "en",
    "manufacturing_quality",
    """
HYUNWOO BAEK
Quality Engineer - Medical Devices | Wonju, Gangwon | hyunwoo.baek@example.com | {phone}

Summary
Quality engineer with 6 years in ISO 13485 medical device manufacturing (injection-molded disposables). I run
statistical process control, lead CAPA investigations and prepare the plant for regulatory audits. I have not
worked under automotive standards, but I know how high-volume lines fail and how to find out why.

Experience
Medion Devices Co., Ltd., Wonju - Quality Engineer, Mar 2021 - Present
- Process quality for four injection molding and assembly lines producing 30 million disposable syringes a year.
- SPC on critical dimensions (barrel inner diameter, plunger force); Cpk tracked in Minitab for 46 parameters.
- Led CAPA investigations with fishbone and 5 Why analysis; customer complaints down 35% in two years.
- Process validation (IQ/OQ/PQ) for two new molding machines and a clean-room expansion.
- Hosted MFDS inspections and notified-body audits (ISO 13485, MDSAP) with zero major findings.
Cleargate Medical Korea - QC Inspector, then QA Engineer, Jan 2019 - Feb 2021
- Incoming inspection with AQL sampling; supplier quality scorecards for 25 suppliers.
- Gage R&R studies for new measuring equipment.

Education
B.Eng. Industrial Engineering, Dongmun University, 2018

Skills
SPC, PFMEA, CAPA, Gage R&R, process validation, ISO 13485, ISO 14971, Minitab, Excel, SolidWorks (viewer)

Certifications
- Six Sigma Green Belt, 2022
- Industrial Engineer Quality Management (Korea), 2018

Languages
Korean (native), English (business level, TOEIC 880)
""",
)

# ---------------------------------------------------------------------------------------------
# Job postings, Korean
# ---------------------------------------------------------------------------------------------

doc(
    "posting_ko_backend_senior",
    "job_posting",
    "ko",
    "it_dev",
    """
[스텔라페이] 시니어 백엔드 엔지니어 (Python/Django) - 정산플랫폼팀
공고번호 {ref} | 경력 6년 이상 | 정규직 | 서울 성동구

회사 소개
주식회사 스텔라페이는 온라인 가맹점 4만여 곳에 결제 대행(PG)과 정산 서비스를 제공하는 핀테크 기업입니다.
2024년 연간 거래액 9조 원을 넘어섰고, 하루 평균 500만 건의 결제 승인 요청을 처리합니다. 정산플랫폼팀은
가맹점에게 정확한 금액을 정확한 날짜에 지급하는 일을 책임지는 팀으로, 현재 백엔드 엔지니어 9명과 데이터
엔지니어 2명이 함께 일하고 있습니다.

팀이 하는 일
정산플랫폼팀은 사내 정산 시스템 'Ledgerline'을 개발하고 운영합니다. Ledgerline은 결제, 취소, 부분 환불,
수수료, 부가세 계산을 거쳐 가맹점별 지급액을 산출하는 시스템입니다. Django 모놀리스에서 출발해 현재 도메인별
서비스로 분리하는 작업을 진행하고 있으며, 2026년까지 정산 마감 시각을 새벽 4시에서 자정 이전으로 앞당기는
것이 목표입니다. 금액 한 건의 오차도 가맹점의 신뢰를 잃는 일이기 때문에, 우리는 테스트와 대사(reconciliation)
자동화에 많은 시간을 씁니다.

주요 업무
- Ledgerline 정산 도메인(지급, 보류, 상계) 서비스 설계 및 개발
- Django 모놀리스를 도메인 단위 서비스로 분리하는 아키텍처 개선 주도
- 대용량 거래 데이터를 처리하는 배치 및 스트리밍 파이프라인 개발 (Celery, Kafka)
- PostgreSQL 스키마 설계, 쿼리 튜닝, 파티셔닝 전략 수립
- 장애 대응 체계(온콜, 포스트모템) 운영과 관측 가능성 개선
- 주니어 엔지니어 코드 리뷰 및 기술 멘토링

자격 요건
- 백엔드 개발 경력 6년 이상, 그중 Python/Django 실무 경력 4년 이상
- PostgreSQL 또는 MySQL 기반의 대용량 데이터 모델링과 성능 튜닝 경험
- Kafka, Celery, RabbitMQ 등 메시지 큐를 이용한 비동기 처리 경험
- AWS 환경에서 서비스를 운영해 본 경험
- 장애 상황에서 원인을 분석하고 재발 방지책을 문서로 남겨 본 경험

우대 사항
- 결제, 정산, 회계 등 금액 정합성이 중요한 도메인 경험
- 모놀리스를 서비스 단위로 분리해 본 경험
- Kubernetes, Terraform 기반 인프라 운영 경험
- 5명 이상 개발 조직의 리드 또는 테크 리드 경험
- 기술 블로그, 컨퍼런스 발표 등 지식 공유 활동

입사 후 첫 90일
- 첫 2주: 정산 도메인 온보딩 세션 (지급 주기, 수수료 구조, 부가세 처리)과 개발 환경 세팅, 첫 배포
- 1개월 차: 지급 보류 서비스의 작은 기능을 맡아 설계 리뷰부터 배포까지 경험
- 3개월 차: 상계 처리 서비스 분리 작업의 설계 오너로서 마이그레이션 계획 수립

이런 분과 함께하고 싶습니다
- 복잡한 금액 계산을 읽기 쉬운 코드와 테스트로 표현하는 것을 즐기는 분
- 장애를 개인의 실수가 아닌 시스템의 문제로 보고, 비난 없는 포스트모템 문화를 함께 만들어 갈 분
- 기술 선택의 이유를 글로 남기고, 동료의 리뷰를 반기는 분

자주 묻는 질문
Q. Python 외의 언어 경험도 인정되나요?
A. Go, Java, Kotlin 등 다른 언어의 백엔드 경력도 인정합니다. 다만 입사 후 주 언어는 Python이며, 팀 코드베이스의
   대부분이 Django로 작성되어 있습니다.
Q. 온콜 부담은 어느 정도인가요?
A. 6주에 한 번, 일주일 단위로 돌아가며, 온콜 주간에는 별도 수당이 지급됩니다. 지난 분기 야간 호출은 평균
   주 0.6회였습니다.
Q. 결제 도메인 경험이 없어도 지원할 수 있나요?
A. 네. 도메인 지식은 온보딩에서 충분히 다룹니다. 대용량 데이터를 정확하게 다뤄 본 경험이 더 중요합니다.

기술 스택
Python 3.12, Django, Django REST Framework, Celery, PostgreSQL 16, Redis, Kafka, AWS (EKS, RDS, MSK),
Terraform, Datadog, Sentry

전형 절차
서류 전형 → 사전 과제 (정산 로직 구현, 72시간) → 1차 기술 면접 → 2차 컬처핏 면접 → 처우 협의 → 최종 합격
- 전 과정은 약 3~4주 소요되며, 각 단계 결과는 5영업일 이내에 안내드립니다.
- 사전 과제는 실제 업무와 비슷한 정산 계산 문제이며, 평가 기준을 미리 공개합니다.

근무 조건
- 근무지: 서울특별시 성동구 (뚝섬역 도보 3분)
- 근무 형태: 주 5일, 주 2회 재택근무, 코어타임 11:00~16:00
- 연봉: 경력에 따라 협의 (최소 8,000만 원)

복지
- 스톡옵션 부여 (입사 1년 후 행사 가능)
- 연 300만 원 자기계발비, 컨퍼런스 참가비 전액 지원
- 본인 및 가족 건강검진, 단체 상해보험
- 점심 식대 지원, 최신 맥북 프로 지급
- 3년 근속 시 2주 리프레시 휴가

지원 방법
채용 홈페이지(careers.stellapay.example.com)에서 이력서를 제출해 주세요. 문의: talent@stellapay.example.com
""",
)

doc(
    "posting_ko_product_designer",
    "job_posting",
    "ko",
    "design",
    """
[하루살림] 프로덕트 디자이너 (경력 5년 이상)
주식회사 하루살림 | 정규직 | 서울 강남구 | 공고번호 {ref}

회사 소개
하루살림은 1인 가구를 위한 생활용품 정기배송 앱입니다. 월간 활성 사용자 80만 명, 재구매율 62%를 기록하고
있으며 2025년 시리즈 B 투자를 유치했습니다. 휴지, 세제, 생수처럼 떨어지면 곤란한 물건을 떨어지기 전에
문 앞에 놓아 주는 것이 우리의 일입니다. 프로덕트 디자이너는 PM, 엔지니어와 한 팀(스쿼드)으로 일합니다.

주요 업무
- 구독, 장바구니, 결제 등 핵심 구매 여정의 UX/UI 설계
- 사용자 인터뷰와 사용성 테스트를 통한 문제 정의와 가설 검증
- 디자인 시스템 운영 및 개선, 컴포넌트 문서화
- PM, 개발자와 함께 A/B 테스트를 설계하고 결과를 해석
- 앱 스토어 이미지, 프로모션 배너 등 마케팅 에셋 가이드 관리

자격 요건
- 모바일 앱 프로덕트 디자인 경력 5년 이상
- Figma를 활용한 UI 설계와 프로토타이핑에 능숙하신 분
- 디자인 시스템을 구축하거나 운영해 본 경험
- 퍼널, 리텐션 같은 정량 데이터와 인터뷰 같은 정성 데이터를 근거로 디자인 결정을 설명할 수 있는 분
- 포트폴리오 제출 필수 (문제 정의부터 결과까지 과정이 드러나도록 구성해 주세요)

우대 사항
- 커머스 또는 구독 서비스 디자인 경험
- 디자이너 팀 리드 경험
- 모션 디자인(After Effects, Lottie) 역량
- 개발 구조(HTML/CSS, 컴포넌트)에 대한 이해

팀 소개
디자인팀은 프로덕트 디자이너 4명과 브랜드 디자이너 2명으로 구성되어 있습니다. 모든 프로덕트 디자이너는
스쿼드에 소속되어 PM, 엔지니어와 함께 분기 목표를 세우고, 매주 목요일에는 디자이너끼리 모여 작업을 서로
리뷰합니다. 디자인 시스템 'Basket UI'는 현재 컴포넌트 90여 개 규모이며, 이번에 합류하시는 분이 오너를 맡게
됩니다.

합류하시면 처음 하게 될 일
- 정기배송 주기 변경 플로우 개편: 현재 고객센터 문의의 23%가 배송 주기 변경과 관련되어 있습니다.
- Basket UI 컴포넌트 정리와 문서화, 개발팀과의 토큰 동기화 방식 개선
- 월 1회 고객 인터뷰 프로그램 운영

전형 절차
서류 및 포트폴리오 검토 → 포트폴리오 인터뷰 (60분) → 디자인 과제 리뷰 → 최종 면접 → 처우 협의
- 디자인 과제는 유급(50만 원)으로 진행하며, 과제 결과물의 권리는 지원자에게 있습니다.

복지 및 혜택
- 자율 출퇴근 (코어타임 11시~16시), 월 2회 금요일 조기 퇴근
- 하루살림 제품 월 10만 원 크레딧
- 디자인 도서, 강의, 툴 구독료 무제한 지원
- 생일 반차, 입사 기념일 휴가

디자이너로서 성장할 수 있는 환경
- 분기별 1회 외부 디자인 컨퍼런스 참가와 팀 내 발표 기회
- 시니어 디자이너 간 상호 멘토링, 연 1회 디자인 리더십 교육 지원

지원 시 참고해 주세요
- 포트폴리오는 PDF 또는 웹 링크로 제출해 주시고, 각 프로젝트에서 본인의 역할과 기여도를 밝혀 주세요.
- 결과물보다 문제를 어떻게 정의하고 어떤 근거로 결정했는지를 중요하게 봅니다.
- 서류 결과는 지원 후 7일 이내에 모든 지원자에게 안내드립니다.

문의: design-recruit@harusallim.example.com
""",
)

doc(
    "posting_ko_accounting",
    "job_posting",
    "ko",
    "finance_accounting",
    """
[세온바이오] 재무회계 매니저 (과장~차장급, 경력 7년 이상)
주식회사 세온바이오 | 코스닥 상장 | 정규직 | 경기도 성남시 분당구 (판교) | 공고번호 {ref}

회사 소개
세온바이오는 항체 치료제와 체외 진단 키트를 개발·생산하는 코스닥 상장 바이오 기업입니다. 미국과 싱가포르에
자회사를 두고 있으며, 2026년 유럽 법인 설립을 준비하고 있습니다. 재무팀은 팀장을 포함해 7명이며, 이번
채용은 결산과 공시를 책임질 실무 리더를 찾는 자리입니다.

재무 현황
- 2024년 매출 1,240억 원 (진단 키트 68%, 위탁생산 21%, 기술이전 11%)
- 연구개발비 비중 매출 대비 24%, 정부 과제 5건 수행 중
- 미국 자회사(임상 운영)와 싱가포르 자회사(동남아 판매) 연결 대상
- 외부감사인: 회계법인(빅4) 감사, 내부회계관리제도 감사 대상

주요 업무
- 월·분기·연간 결산 및 연결재무제표 작성 (국내 본사와 해외 자회사 2곳)
- 외부감사 및 분·반기 검토 대응, 내부회계관리제도 운영
- 사업보고서, 분기보고서 등 DART 정기 공시 (재무 부문)
- 연구개발비 자산화 검토, 정부 과제 보조금 회계처리
- SAP FI/CO 운영 및 결산 프로세스 개선

자격 요건
- 재무회계·결산 실무 경력 7년 이상 (연결결산 포함)
- K-IFRS에 대한 깊은 이해와 외부감사 대응 경험
- SAP FI 또는 이에 준하는 ERP 사용 경험
- 엑셀 활용 능력이 우수하신 분

우대 사항
- 한국공인회계사(KICPA) 또는 미국공인회계사(AICPA)
- 회계법인 감사 경력
- 상장사 공시 실무 경험, 바이오·제약 업종 경험
- 해외 자회사와 영어로 소통할 수 있는 분

이런 분을 찾습니다
- 결산 일정을 스스로 관리하고, 팀원들의 업무를 점검하며 함께 마감할 수 있는 분
- 감사인, 공시 담당자, 연구소 등 여러 부서와 원활하게 소통하시는 분
- 바이오 업종 특유의 회계 이슈(연구개발비, 기술이전 수익, 정부 보조금)에 관심이 있으신 분

참고 사항
- 직급은 경력과 역량에 따라 과장 또는 차장으로 결정됩니다.
- 결산 기간(매 분기 말 이후 2주)에는 시차 출퇴근이 제한될 수 있습니다.
- 해외 자회사 결산 자료는 영문으로 수취하며, 연 1회 미국 자회사 현지 점검 출장이 있습니다.
- 국가보훈대상자 및 장애인은 관계 법령에 따라 우대합니다.

전형 절차
서류 전형 → 실무 면접 (재무팀장) → 회계 실무 테스트 (결산 분개, 60분) → 임원 면접 → 평판 조회 → 최종 합격

근무 조건 및 복지
- 근무 시간: 09:00~18:00 (결산 기간 외 금요일 16시 퇴근)
- 연봉: 경력 및 역량에 따라 협의
- 우리사주 조합 가입, 자녀 학자금 지원
- 본인·배우자 종합검진, 통근 셔틀버스 운행 (판교역, 수원역)
- 자격증 취득 축하금 (KICPA 등록 시 300만 원)

재무팀이 일하는 방식
- 분기 결산은 D+8 마감을 목표로 하며, 결산 체크리스트와 일정은 팀 전체가 실시간으로 공유합니다.
- 반복 업무는 자동화를 우선 검토하고, 자동화 아이디어를 낸 팀원에게 분기 포상을 합니다.

제출 서류: 국문 이력서, 경력기술서 (자유 양식)
접수: hr@seonbio.example.com
""",
)

doc(
    "posting_ko_nurse_icu",
    "job_posting",
    "ko",
    "nursing_healthcare",
    """
[한마음메디컬센터] 중환자실(ICU) 경력 간호사 채용
의료법인 한마음의료재단 한마음메디컬센터 | 정규직 | 인천광역시 남동구 | 공고번호 {ref}

병원 소개
한마음메디컬센터는 620병상 규모의 지역 거점 종합병원으로, 권역응급의료센터와 성인 중환자실 3개 병동
(내과계, 외과계, 심혈관계)을 운영하고 있습니다. 간호간병통합서비스 병동을 확대하고 있으며, 간호사 교육 전담
부서를 두어 경력 간호사의 적응을 돕고 있습니다.

중환자실 현황
- 내과계 중환자실 24병상, 외과계 중환자실 20병상, 심혈관계 중환자실 12병상
- 연간 중환자실 입실 환자 약 3,100명, 인공호흡기 적용 환자 비율 45%
- CRRT 장비 6대, ECMO 장비 3대 보유, 신속대응팀(RRT) 24시간 운영
- 중환자실 간호사 130명, 평균 경력 6.4년

모집 부문
- 내과계 중환자실 경력 간호사 2명
- 외과계 중환자실 경력 간호사 2명

주요 업무
- 중환자 사정과 활력징후·혈역학 모니터링
- 인공호흡기, CRRT 등 중환자 장비를 적용한 환자 간호
- 투약 및 수혈 관리, 감염 관리 지침 준수
- 보호자 상담과 교육, 다학제 회진 참여

자격 요건
- 간호사 면허 소지자
- 종합병원급 이상 간호 경력 3년 이상 (중환자실 경력 1년 이상 포함)
- BLS Provider 자격 소지자
- 3교대 근무가 가능하신 분

우대 사항
- ACLS 또는 KALS 자격 소지자
- CRRT, ECMO 적용 환자 간호 경험
- 프리셉터 경험, QI 활동 경험
- 중환자 전문간호사 자격 소지자

교육 및 적응 지원
- 입사 후 4주간 부서별 프리셉터 배정 및 중환자실 적응 교육 (이론 16시간, 실습 포함)
- 인공호흡기, CRRT, ECMO 관련 사내 심화 교육 과정 연 2회 운영
- 경력 간호사 대상 멘토링 제도 운영 (입사 후 6개월)
- 간호부 주관 QI 활동 및 근거 기반 간호 연구 지원

간호 인력 운영
- 중환자실 간호사 1인당 환자 수 평균 2명 유지
- 전담 간호사(전문간호사) 및 감염관리 간호사와 협업
- 신규·경력 간호사 모두 부서 이동 희망 시 2년 근무 후 전보 신청 가능

근무 조건
- 근무 형태: 3교대 (Day 07:00~15:00, Evening 14:30~22:30, Night 22:00~07:30), 나이트 전담 선택 가능
- 급여: 병원 내규에 따름 (경력 인정), 야간근무수당 별도 지급
- 복리후생: 기숙사 제공 (2인 1실), 본인 및 가족 진료비 감면, 학회 참가비 지원, 대학원 학비 50% 지원

전형 절차
서류 전형 → 간호부 면접 → 인성검사 → 채용 신체검사 → 최종 합격
- 제출 서류: 이력서, 자기소개서, 간호사 면허증 사본, 경력증명서, BLS 이수증
- 접수 기간: 2025년 12월 1일 ~ 12월 21일

지원 시 유의 사항
- 경력은 간호사 면허 취득 후 의료기관 근무 기간만 인정합니다.
- 제출 서류의 허위 기재가 확인되면 합격이 취소될 수 있습니다.
- 면접 일정은 서류 합격자에게 개별 문자로 안내드립니다.

문의: nursing@hanmaum-mc.example.com
""",
)

doc(
    "posting_ko_hr_manager",
    "job_posting",
    "ko",
    "hr",
    """
[네오브릭스] HR 매니저 (채용 · HRBP, 경력 5년 이상)
주식회사 네오브릭스 | 게임 개발사 | 정규직 | 경기도 성남시 분당구 | 공고번호 {ref}

회사 소개
네오브릭스는 모바일 RPG '크로노 가든'을 서비스하는 게임 개발사입니다. 임직원 260명 규모이며, 신작 두 개를
준비하면서 2026년까지 400명 규모로 성장할 계획입니다. 빠르게 커지는 조직에서 좋은 사람을 제때 모시고, 그분들이
잘 자리 잡도록 돕는 HR 매니저를 찾습니다.

주요 업무
- 개발·아트·기획 직군 채용 전 과정 운영 (채용 계획, 소싱, 인터뷰 운영, 처우 협의)
- 채용 데이터 관리와 채널별 성과 분석, 채용 브랜딩 콘텐츠 기획
- 온보딩 프로그램 운영과 입사자 정착 지원
- 스튜디오 단위 HRBP: 리더 면담, 조직 이슈 파악과 해결 지원
- 평가·보상 제도 운영 지원

자격 요건
- HR 실무 경력 5년 이상, 그중 채용 실무 3년 이상
- IT 또는 게임 업계의 개발 직군 채용 경험
- 근로기준법 등 노동 관계 법령에 대한 기본적인 이해
- ATS 등 채용 도구를 활용한 데이터 기반 업무 경험

우대 사항
- 급성장 조직에서 채용 규모를 2배 이상 확장해 본 경험
- HRBP 또는 조직문화 담당 경험
- 공인노무사 또는 SHRM 계열 자격 보유자
- 영어 커뮤니케이션 가능자 (해외 개발자 채용)

우리가 일하는 방식
- 모든 채용 포지션은 현업 리더와 킥오프 미팅을 거쳐 시작하며, 면접관 교육을 이수한 구성원만 면접에 참여합니다.
- 평가는 반기마다 진행하며, 동료 피드백과 리더 면담 결과를 함께 반영합니다.
- 피플팀의 주요 결정과 제도 변경은 사내 위키에 배경과 함께 공개합니다.
- 게임 출시 직전에는 조직 전체가 바빠지므로, 채용 일정도 출시 로드맵에 맞춰 미리 계획합니다.

함께 일할 팀
피플팀은 현재 팀장을 포함해 5명(채용 2명, 인사 운영 2명, 조직문화 1명)입니다. 이번에 합류하시는 HR 매니저는
채용 파트를 리드하며, 두 개의 신작 스튜디오를 담당하는 HRBP 역할을 함께 맡게 됩니다. 채용 도구로는 ATS를,
인사 데이터는 HRIS를 사용하고 있으며, 현재 평균 채용 소요 기간은 45일입니다.

입사 후 기대하는 성과
- 6개월 내: 개발 직군 채용 소요 기간 30일대 진입, 채용 채널별 성과 리포트 정례화
- 1년 내: 신작 스튜디오 채용 80명 달성, 온보딩 만족도 조사 체계 구축

전형 절차
서류 전형 → 1차 실무 면접 → 과제 (채용 퍼널 개선안 발표) → 2차 리더십 면접 → 최종 합격

복지
- 유연 근무제 (8시~11시 출근), 매주 금요일 1시간 조기 퇴근
- 게임 구매 및 도서 구입비 월 10만 원
- 사내 카페와 피트니스 센터, 점심·저녁 식사 제공
- 연 1회 해외 워크숍

지원 시 참고 사항
- 이력서에 채용 규모, 채용 소요 기간 등 본인의 성과를 숫자로 적어 주시면 검토에 도움이 됩니다.
- 과제 전형에서는 가상의 채용 퍼널 데이터를 드리고, 병목 구간과 개선안을 30분간 발표하는 방식으로 진행합니다.
- 모든 전형 결과는 합격 여부와 관계없이 안내드립니다.

지원: recruit@neobricks.example.com
""",
)

doc(
    "posting_ko_cs_manager",
    "job_posting",
    "ko",
    "customer_support",
    """
[오늘장터] CS 운영 매니저 (경력 5년 이상 / 파트 리드)
주식회사 오늘장터 | 이커머스 | 정규직 | 서울 구로구 | 공고번호 {ref}

회사 소개
오늘장터는 신선식품 새벽배송 서비스로, 수도권에서 하루 6만 건의 주문을 배송합니다. 배송이 하루만 늦어도
상품 가치가 사라지는 신선식품의 특성상, 고객 문의를 빠르고 정확하게 해결하는 CS 조직이 서비스 품질의
핵심입니다. 고객경험팀은 현재 상담사 40명(자체 센터 25명, 아웃소싱 15명)으로 운영되고 있습니다.

주요 업무
- 고객센터(채팅, 전화, 게시판) 운영 총괄과 상담사 10~15명 규모 파트 리드
- CS KPI(응답 시간, 해결률, CSAT) 관리 및 개선
- Zendesk 기반 상담 프로세스 설계, 매크로와 헬프센터 콘텐츠 관리
- 챗봇 시나리오 고도화로 자동 해결률 개선
- VOC 분석 결과를 바탕으로 물류·상품·개발 부서와 개선 과제 추진

자격 요건
- CS 실무 경력 5년 이상, 그중 파트장 또는 팀 리드 경험 2년 이상
- Zendesk, 채널톡 등 상담 솔루션 운영 경험
- VOC를 데이터로 정리해 다른 부서를 설득해 본 경험

우대 사항
- 이커머스, 신선식품, 물류 도메인의 CS 경험
- SQL 또는 Redash, Tableau 등 BI 도구 활용 능력
- 챗봇 구축 경험
- 아웃소싱 센터 운영 관리 경험

현재 고객센터 현황
- 일평균 문의 4,500건 (채팅 62%, 전화 28%, 게시판 10%)
- 주요 문의 유형: 배송 지연·누락 31%, 상품 품질 24%, 주문 변경·취소 18%, 결제·환불 12%
- 첫 응답 시간(FRT) 평균 6분, CSAT 4.3점, 챗봇 자동 해결률 22%
- 상담 솔루션: Zendesk, 채널톡 / 데이터: Redash, Google Sheets

입사 후 기대하는 일
- 3개월 내: 새벽 시간대(05:00~09:00) 배송 문의 대응 프로세스 재설계
- 6개월 내: 챗봇 자동 해결률 35% 달성, 상담사 교육 체계와 품질 평가 기준 정비
- 1년 내: 아웃소싱 센터 KPI 계약 구조 개선

전형 절차
서류 전형 → 1차 실무 면접 → 2차 임원 면접 → 처우 협의 → 최종 합격

복지
- 임직원 할인 (신선식품 30%), 명절 선물
- 주 1회 재택근무, 연차 외 리프레시 휴가 3일
- 상담사 심리 상담 프로그램 운영 (EAP)
- 점심 식대 지원, 사내 카페

고객경험팀 문화
- 상담사 1인당 연 40시간의 교육 시간을 보장하고, 우수 상담 사례를 매주 공유합니다.
- 고객 불만이 반복되는 원인은 매주 물류·상품팀과 함께 보는 VOC 회의에서 다룹니다.
- 상담사의 감정노동 보호를 위해 폭언 고객 응대 종료 기준과 휴식 제도를 운영합니다.
- 파트 리드는 상담 품질 평가(QA)와 상담사 코칭을 직접 맡습니다.

이런 분이면 더 좋습니다
- 상담사의 목소리를 듣고 현장의 어려움을 먼저 챙기는 리더
- 숫자로 문제를 설명하고, 작은 실험으로 개선 효과를 확인하는 분
- 새벽배송의 특성상 이른 아침 이슈 대응(월 2~3회)이 가능하신 분

지원: cx-recruit@oneuljangteo.example.com
""",
)

# ---------------------------------------------------------------------------------------------
# Job postings, English
# ---------------------------------------------------------------------------------------------

doc(
    "posting_en_data_analyst",
    "job_posting",
    "en",
    "data_ml",
    """
Mintwave Games - Data Analyst (Live Operations)
Seoul, Pangyo office | Full-time | Ref. {ref}

About Mintwave
Mintwave Games makes casual puzzle games played by 3 million people a month in Korea, Japan and Southeast
Asia. Our live-operations team changes events, prices and difficulty every week, and every change is a
decision that data should inform. We are looking for a data analyst who will sit with game designers and
product managers and help them decide faster.

What you will do
- Define and maintain core game metrics (DAU, retention, ARPDAU, conversion) and their documentation
- Design A/B tests for events and in-game offers, and explain results in plain language
- Build and maintain dashboards in Tableau or Looker for the live-operations team
- Write SQL on BigQuery every day; build clean, reusable tables together with the data engineers
- Investigate sudden metric changes and answer "why did this happen?" within a day

Requirements
- 2+ years of experience as a data analyst or product analyst
- Strong SQL (window functions, CTEs) and experience with BigQuery, Snowflake or Redshift
- Experience designing and analysing A/B tests (sample size, significance, guardrail metrics)
- Python (pandas) or R for analysis
- Experience building dashboards (Tableau, Looker, Looker Studio or similar)
- Communicating in English with our regional teams; Korean is a plus

Nice to have
- Mobile game or app analytics experience
- dbt
- A degree in statistics, economics or another quantitative field

Hiring process
1. Application review
2. SQL and statistics take-home (2 hours, sent by e-mail)
3. Interview with the analytics lead
4. Team interview with game designers
5. Offer

Benefits
- Flexible hours and two remote days a week
- Annual learning budget of KRW 2 million
- Free lunch and dinner in the office
- Game gift cards every month

Apply at jobs.mintwave.example.com with your CV in English or Korean.
""",
)

doc(
    "posting_en_performance_marketing",
    "job_posting",
    "en",
    "marketing",
    """
Plumtree - Performance Marketing Manager (Growth Team)
Plumtree Market Inc. | Seoul, Seongsu | Full-time | Ref. {ref}

About Plumtree
Plumtree is a second-hand fashion marketplace app with 2.4 million monthly users in Korea. Sellers list a
jacket in thirty seconds, buyers get it in two days, and we take care of payments, shipping and
authentication in between. Growth is a six-person team of marketers, a data analyst and two engineers.

What you will do
- Plan and run paid acquisition on Google, Meta, TikTok, Kakao Moment and Naver
- Own a monthly budget of KRW 300-500 million and the CAC and ROAS targets that come with it
- Set up and maintain attribution (AppsFlyer) and run incrementality tests with the data team
- Run creative tests with the brand and design teams
- Report weekly performance to leadership and move budget between channels and campaigns

Requirements
- 4+ years in performance or growth marketing for an app or e-commerce business
- Hands-on management of large paid budgets on at least two of Google, Meta, Kakao and Naver
- Comfortable with SQL and dashboards (Looker Studio, Tableau or similar)
- Experience with a mobile measurement partner (AppsFlyer, Adjust or Airbridge)
- English for working with our global ad partners; Korean is preferred

Nice to have
- Marketplace or fashion e-commerce experience
- Team management
- CRM marketing experience (push, in-app, Braze)

Hiring process
Application review -> take-home case on budget allocation (3 days) -> interview with the Head of Growth ->
interview with the CMO -> offer

Benefits
- Stock options and a performance bonus
- KRW 100,000 Plumtree credit every month
- Hybrid work (three office days), flexible start between 8 and 11 a.m.
- Annual health check-up

Apply at careers.plumtree.example.com. Applications in English or Korean are both fine.
""",
)

doc(
    "posting_en_quality_engineer",
    "job_posting",
    "en",
    "manufacturing_quality",
    """
Voltaris Energy Korea - Senior Quality Engineer (Battery Cell Manufacturing)
Cheongju plant, North Chungcheong Province | Full-time | Ref. {ref}

About Voltaris
Voltaris Energy is a European battery company building lithium-ion cells for electric vehicles and energy
storage. Our Korean joint venture in Cheongju started mass production in 2024 and supplies pouch cells to two
European carmakers. The quality department (28 people) covers incoming, process, customer and reliability
quality, and works daily with our headquarters in Europe, mostly in English.

The role
As Senior Quality Engineer you will own process quality for one electrode or assembly line and be the quality
voice in customer meetings. You will work with production, process engineering and maintenance, and you will
coach the engineers and technicians around you. The line runs 24/7; you will not, but you will be reachable
when a quality hold is needed.

Responsibilities
- Run statistical process control for critical parameters (coating thickness, coating weight, electrode alignment)
- Lead PFMEA and control plan reviews with process engineering
- Drive root cause analysis and corrective actions with 8D; close customer complaints on time
- Prepare for and host customer and third-party audits (IATF 16949, VDA 6.3)
- Run measurement system analysis (Gage R&R) and keep the calibration plan up to date
- Report quality KPIs (scrap rate, first pass yield, PPM) to plant management every week
- Coach junior engineers and line technicians on problem-solving tools

Requirements
- Bachelor's degree in materials, chemical, mechanical or industrial engineering
- 5+ years of quality engineering in high-volume manufacturing
- Hands-on experience with SPC, FMEA, MSA and 8D
- Experience with automotive quality standards and processes (IATF 16949, APQP, PPAP)
- Business-level English, written and spoken (customer meetings and reports are in English)

Preferred
- Lithium-ion battery, secondary battery or semiconductor manufacturing background
- Six Sigma Black Belt
- Minitab or JMP, SAP QM
- Korean language skills (our line teams work in Korean)
- Experience with machine vision inspection systems

Hiring process
1. Application review (CV in English)
2. Phone screen with HR (30 minutes)
3. Technical interview with the quality manager (case study: an 8D you led)
4. On-site interview and plant tour in Cheongju
5. Offer and reference check

What we offer
- Competitive salary plus an annual performance bonus
- Company housing or a housing allowance for employees relocating to Cheongju
- Shuttle buses from Cheongju, Sejong and Daejeon
- Annual training budget, including Six Sigma courses and English or Korean lessons
- Private health insurance for you and your family

Apply at careers.voltaris.example.com/kr-qe with your CV in English.
""",
)

doc(
    "posting_en_b2b_sales",
    "job_posting",
    "en",
    "sales",
    """
Cloudharbor - Enterprise Account Executive, Korea
Seoul (Gwanghwamun), hybrid | Full-time | Ref. {ref}

About Cloudharbor
Cloudharbor provides backup and disaster recovery software as a service for companies running workloads in
public clouds and their own data centers. We protect 9,000 customers worldwide and opened our Seoul office in
2024 to serve Korean enterprises directly. You will be one of the first three account executives in Korea.

What you will do
- Own new business with large enterprises in financial services and manufacturing
- Build and run multi-stakeholder sales cycles with IT, security, legal and procurement
- Work with SI partners, cloud marketplaces and our solutions engineers
- Keep an accurate forecast and pipeline in Salesforce
- Bring what you hear from customers back to product and marketing

Requirements
- 6+ years of B2B software sales, including 3+ years selling SaaS to enterprise customers in Korea
- A track record of meeting or beating an annual quota of USD 1M or more
- Experience with long sales cycles that involve IT, security and procurement teams
- Business-level Korean and English
- Disciplined use of Salesforce or a similar CRM

Preferred
- Relationships with financial services or manufacturing accounts
- MEDDICC or a similar qualification framework
- Experience selling with SI partners and through cloud marketplaces

Hiring process
Recruiter call -> hiring manager interview -> mock discovery call with a sales leader -> panel with the
APAC VP -> references and offer

Compensation and benefits
- Base salary plus uncapped commission (50/50 on-target split)
- Stock grant
- Hybrid work and a home-office budget
- Annual President's Club trip for top performers

Apply at careers.cloudharbor.example.com/seoul-ae
""",
)

doc(
    "posting_en_logistics_manager",
    "job_posting",
    "en",
    "logistics",
    """
Meridian Fulfillment Korea - Logistics Operations Manager (3PL)
Incheon (near the airport free trade zone) | Full-time | Ref. {ref}

About Meridian
Meridian Fulfillment runs warehouses for global brands that sell to Korean and Japanese consumers online.
Our new Incheon site (28,000 m2, bonded) opens in spring 2026 and will ship beauty, health and fashion
products for twelve clients. We are hiring the operations manager who will open it and run it.

What you will do
- Lead daily warehouse operations: inbound, storage, picking, packing and outbound
- Build and manage a team of about 40 staff plus agency workers across two shifts
- Go live with our WMS and integrate four parcel carriers
- Own site KPIs: order accuracy, dock-to-stock, on-time shipping, cost per order
- Work with customs brokers on bonded storage and export clearance
- Lead continuous improvement (Lean, 5S, slotting)

Requirements
- 7+ years in warehouse or 3PL operations, including 3+ years managing teams of 30 or more
- Hands-on experience with a WMS (SAP EWM or similar)
- Knowledge of customs procedures, bonded warehouses and Incoterms
- Strong Excel; comfortable building KPI reports
- English (fluent) and Korean (conversational is enough)

Preferred
- Cross-border e-commerce fulfillment experience
- Temperature-controlled (cold chain) storage
- APICS CSCP, Certified Logistics Manager (물류관리사) or similar
- Lean or Six Sigma certification
- Experience opening a new site

Hiring process
Application review -> video interview with the regional director -> site visit and case study (layout for a
new client) -> final interview -> offer

Benefits
- Relocation support
- Annual bonus tied to site KPIs
- Commuting bus from Incheon and western Seoul
- Company-paid health check-ups for you and your family

Apply at jobs.meridianfulfillment.example.com
""",
)

doc(
    "posting_en_research_scientist",
    "job_posting",
    "en",
    "research",
    """
Aster Vision Labs - Research Scientist, Computer Vision (Industrial Inspection)
Pangyo, Seongnam | Full-time | Ref. {ref}

About us
Aster Vision Labs builds visual inspection AI for battery, display and semiconductor factories. Our models look
at 20,000 high-resolution line-scan images a minute and decide which parts are defective. Defects are rare,
new defect types appear every month and labels are expensive, so our research agenda is practical: learn from
few examples, detect what you have never seen, and run on an edge GPU next to the line.

What you will do
- Research anomaly detection and few-shot defect segmentation for high-resolution industrial images
- Turn research into production models with our ML engineering team (ONNX, TensorRT on edge GPUs)
- Publish at top venues and file patents
- Design evaluation protocols together with customers' quality teams
- Mentor interns and junior researchers

Requirements
- Ph.D. in computer vision, machine learning or a related field, or an M.S. with 3+ years of computer vision
  research experience
- First-author publications at CVPR, ICCV, ECCV, NeurIPS, MICCAI or comparable venues
- Strong PyTorch skills and experience training segmentation or detection models
- Ability to read papers and write technical reports in English

Preferred
- Anomaly detection, self-supervised learning or domain adaptation research
- Experience deploying models with TensorRT
- Experience with manufacturing or medical imaging data

Hiring process
CV and publication review -> research talk (45 minutes) -> coding interview -> team interviews -> offer

What we offer
- Conference travel for every accepted paper
- Dedicated GPU cluster (64 H100 GPUs)
- 20% time for self-directed research
- Visa sponsorship and relocation support

Apply at careers.astervision.example.com/research
""",
)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

# Phone suffixes already used by the fixtures; never reuse them.
TAKEN_PHONES = {"6640", "4821", "2954", "7315"}


def render(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """Fill in {phone} and {ref} deterministically, in DOCS order."""
    used = set(TAKEN_PHONES)
    out = []
    for stem, type_, language, field, text in DOCS:
        if "{phone}" in text:
            while True:
                suffix = f"{rng.randint(0, 9999):04d}"
                if suffix not in used:
                    used.add(suffix)
                    break
            text = text.replace("{phone}", f"010-0000-{suffix}")
        if "{ref}" in text:
            text = text.replace("{ref}", f"JP-2025-{rng.randint(1000, 9999)}")
        out.append((stem, type_, language, field, text))
    return out


def manifest_entries(rendered) -> list[dict]:
    entries = []
    for stem, type_, language, field, text in rendered:
        entries.append(
            {
                "file": f"{stem}.txt",
                "document_id": stem,
                "type": type_,
                "language": language,
                "field": field,
                "fixture": False,
                "chars": len(text),
            }
        )
    for name, type_, language, field in FIXTURES:
        stem = name.rsplit(".", 1)[0]
        entries.append(
            {
                "file": name,
                "document_id": stem,
                "type": type_,
                "language": language,
                "field": field,
                "fixture": True,
                "path": name,
                "text_path": f"{stem}.expected.txt",
            }
        )
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "corpus")
    args = parser.parse_args()
    rng = random.Random(SEED)
    rendered = render(rng)
    stems = [d[0] for d in rendered]
    assert len(stems) == len(set(stems)), "duplicate document ids"
    args.out.mkdir(parents=True, exist_ok=True)
    for stem, _type, _lang, _field, text in rendered:
        (args.out / f"{stem}.txt").write_text(text, encoding="utf-8")
    manifest = manifest_entries(rendered)
    (args.out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts: dict[tuple[str, str], int] = {}
    for stem, type_, language, _field, text in rendered:
        counts[(type_, language)] = counts.get((type_, language), 0) + 1
        if not 1500 <= len(text) <= 5000:
            print(f"warning: {stem} has {len(text)} characters (want 1,500-5,000)")
    print(f"wrote {len(rendered)} documents and MANIFEST.json ({len(manifest)} entries) to {args.out}")
    for key in sorted(counts):
        print(f"  {key[0]:<12} {key[1]}: {counts[key]}")


if __name__ == "__main__":
    main()
