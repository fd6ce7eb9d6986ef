"""Every deploy stage, checked offline (`make check-deploy`, run by `.ci/run` after `make test`).

No Docker engine, no cluster and no helm binary are needed or used; nothing here starts a container
or talks to a cluster. What runs:

- V1, systemd (deploy/systemd/): a parser check of every unit (the keys our policy requires: restart
  policy, hardening, user, env file, paths that agree with aiserver.env.example, whose keys must be
  settings the service reads), then `systemd-analyze verify` on copies whose /opt/aiserver points at
  this checkout (so every ExecStart binary must exist in a venv built from the pins) and
  `systemd-analyze security --offline` (exposure must stay at or below 2.0).
- V2, Compose: deploy/compose.yaml against the compose-spec JSON schema (check-jsonschema's vendored
  copy); the Dockerfile through hadolint.
- V3, Helm: the chart rendered offline with helm-python-sdk (Helm's Go SDK in a wheel) for several
  value sets, each rendered manifest validated with kubernetes-validate against the Kubernetes 1.30
  schemas (strict: unknown fields fail), what each set must produce asserted, `helm lint --strict`
  per set, and the values that must refuse to render refused with their message.
- Controls: each checker is also fed one known-bad input and must refuse it, so a checker that
  silently passes everything fails this script.

Usage: .venv/bin/python deploy/check.py     (exit status 1 when anything fails)
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHART = REPO / "deploy" / "helm" / "aiserver"
SYSTEMD = REPO / "deploy" / "systemd"
KUBE_VERSION = "1.30.0"
INSTALL_PREFIX = "/opt/aiserver"  # where the units expect the checkout (docs/deploy.md, V1)
MAX_EXPOSURE = 20  # systemd-analyze security --threshold, in tenths: 2.0

failures: list[str] = []


def report(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {name}{f': {detail}' if detail else ''}", flush=True)
    if not ok:
        failures.append(name)


def run(args: list[str | Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=REPO, check=False)


# --- V3: Helm ---------------------------------------------------------------------------------------
BASE: dict[str, Any] = {
    "database": {"url": "postgres://aiserver:pw@postgres.db.svc:5432/aiserver"},
    "redis": {"url": "redis://redis.db.svc:6379/0"},
    "secrets": {"secretKey": "k" * 48, "aiServiceToken": "t" * 32},
}


def merged(*layers: dict[str, Any]) -> dict[str, Any]:
    def merge(into: dict[str, Any], layer: dict[str, Any]) -> None:
        for key, value in layer.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = copy.deepcopy(value)

    out: dict[str, Any] = {}
    for layer in layers:
        merge(out, layer)
    return out


INGRESS = {
    "ingress": {
        "enabled": True,
        "hosts": [{"host": "ai.example.com"}],
        "tls": [{"secretName": "ai-example-com-tls", "hosts": ["ai.example.com"]}],
    }
}
VLLM = {"vllm": {"enabled": True}}
HPA = {
    "web": {"autoscaling": {"enabled": True}},
    "worker": {
        "autoscaling": {"enabled": True, "queueLength": {"enabled": True}},
        "livenessProbe": {"exec": {"command": ["python", "-c", "pass"]}, "periodSeconds": 60},
    },
}
EXTERNAL = {
    "existingSecret": "aiserver-env",
    "chroma": {"enabled": False},
    "config": {"CHROMA_HOST": "chroma.vectors.svc", "CHROMA_PORT": "8000", "Q_NAME": "career"},
    "migrate": {"enabled": False},
    "web": {"pdb": {"enabled": False}},
    "worker": {"pdb": {"minAvailable": 1}, "autoscaling": {"enabled": True, "queueLength": {"enabled": True}}},
    "vllm": {"enabled": True, "persistence": {"enabled": False}, "hfTokenSecret": {"name": "hf", "key": "token"}},
}
VALUE_SETS: dict[str, dict[str, Any]] = {
    "defaults": BASE,
    "ingress": merged(BASE, INGRESS),
    "vllm": merged(BASE, VLLM),
    "hpa": merged(BASE, HPA),
    "everything": merged(BASE, INGRESS, VLLM, HPA),
    "existing-secret, external chroma, no migrate": EXTERNAL,
    "development": {**BASE, "secrets": {}, "config": {"AISERVER_ENV": "development"}},
}
MUST_FAIL: list[tuple[str, dict[str, Any], str]] = [
    ("no database.url", {"redis": BASE["redis"], "secrets": BASE["secrets"]}, "database.url is required"),
    ("short SECRET_KEY", merged(BASE, {"secrets": {"secretKey": "short"}}), "secrets.secretKey must have 32+"),
    ("ingress without hosts", merged(BASE, {"ingress": {"enabled": True}}), "ingress.hosts needs at least one"),
    ("vLLM with openai embeddings", merged(BASE, VLLM, {"config": {"EMBEDDING_PROVIDER": "openai"}}), "vllm.enabled"),
]


def render(values: dict[str, Any]) -> dict[str, str]:
    from helm_python.chart import Chart

    chart = Chart.load(CHART)
    try:
        return chart.render(values, name="aiserver", namespace="career", is_install=True)
    finally:
        chart.close()


def documents(manifests: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                yield path, doc


def find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any] | None:
    return next((d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name), None)


def container(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]["containers"][0]


def expectations(name: str, docs: list[dict[str, Any]]) -> list[str]:
    """What a value set must produce; returns what is missing."""
    missing: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            missing.append(what)

    web = find(docs, "Deployment", "aiserver-web")
    need(web is not None, "web Deployment")
    if web:
        probes = container(web)
        need(probes["readinessProbe"]["httpGet"]["path"] == "/readyz", "web readiness on /readyz")
        need(probes["livenessProbe"]["httpGet"]["path"] == "/healthz", "web liveness on /healthz")
        limits = probes["resources"].get("limits", {})
        need("memory" in limits and "memory" in probes["resources"].get("requests", {}), "web memory request+limit")
    config = next((d for d in docs if d["kind"] == "ConfigMap"), {"data": {}})["data"]
    kinds = {d["kind"] for d in docs}
    if name in ("defaults", "hpa", "everything"):
        need(find(docs, "PodDisruptionBudget", "aiserver-web") is not None, "web PDB")
        need(find(docs, "PodDisruptionBudget", "aiserver-worker") is not None, "worker PDB")
    if name in ("ingress", "everything"):
        ingress = find(docs, "Ingress", "aiserver")
        need(ingress is not None, "Ingress")
        if ingress:
            annotations = ingress["metadata"].get("annotations", {})
            need(int(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout", 0)) >= 3600, "ws timeout")
        need("ai.example.com" in config.get("ALLOWED_HOSTS", ""), "ingress host in ALLOWED_HOSTS")
        need(config.get("CSRF_TRUSTED_ORIGINS") == "https://ai.example.com", "CSRF_TRUSTED_ORIGINS from TLS hosts")
    else:
        need("Ingress" not in kinds, "no Ingress unless enabled")
    if name in ("vllm", "everything"):
        need(find(docs, "Deployment", "aiserver-vllm") is not None, "vLLM Deployment")
        need(find(docs, "Service", "aiserver-vllm") is not None, "vLLM Service")
        need(config.get("LLM_PROVIDER") == "openai", "LLM_PROVIDER=openai")
        need(config.get("OPENAI_BASE_URL") == "http://aiserver-vllm:8000/v1", "OPENAI_BASE_URL to the vLLM Service")
    elif not name.startswith("existing-secret"):
        need(find(docs, "Deployment", "aiserver-vllm") is None, "no vLLM unless enabled")
    if name in ("hpa", "everything", "existing-secret, external chroma, no migrate"):
        hpa = find(docs, "HorizontalPodAutoscaler", "aiserver-worker")
        external = [m for m in (hpa or {}).get("spec", {}).get("metrics", []) if m["type"] == "External"]
        need(len(external) == 1, "worker HPA on an External metric")
        queue = "career" if name.startswith("existing-secret") else "aiserver"
        selector = external[0]["external"]["metric"]["selector"]["matchLabels"] if external else {}
        need(selector.get("key") == f"django_q:{queue}:q", f"queue-length selector for django_q:{queue}:q")
    if name.startswith("existing-secret"):
        need("Secret" not in kinds and "Job" not in kinds, "no chart Secret or migrate Job")
        need(find(docs, "StatefulSet", "aiserver-chroma") is None, "no Chroma StatefulSet")
        need(find(docs, "PodDisruptionBudget", "aiserver-web") is None, "web PDB disabled")
        need(find(docs, "PersistentVolumeClaim", "aiserver-vllm-cache") is None, "vLLM cache as emptyDir")
    return missing


def check_helm() -> None:
    import kubernetes_validate
    from helm_python.chart import lint

    for name, values in VALUE_SETS.items():
        try:
            manifests = render(values)
        except Exception as exc:
            report(f"helm render [{name}]", False, str(exc)[:300])
            continue
        docs: list[dict[str, Any]] = []
        invalid: list[str] = []
        for path, doc in documents(manifests):
            docs.append(doc)
            try:
                kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)
            except Exception as exc:  # ValidationError, SchemaNotFoundError
                invalid.append(f"{path} {doc.get('kind')}: {str(exc).splitlines()[0][:200]}")
        kinds = sorted({d["kind"] for d in docs})
        report(f"helm render [{name}]", True, f"{len(docs)} manifests ({', '.join(kinds)})")
        report(f"kubernetes-validate {KUBE_VERSION} --strict [{name}]", not invalid, "; ".join(invalid))
        missing = expectations(name, docs)
        detail = f"missing: {', '.join(missing)}" if missing else ""
        report(f"chart produces what [{name}] asks for", not missing, detail)
        result = lint(CHART, values, strict=True, kube_version=f"v{KUBE_VERSION}")
        problems = [m for m in result["messages"] if m["severity"] >= 2] + [{"error": e} for e in result["errors"]]
        infos = [m["error"] for m in result["messages"] if m["severity"] < 2]
        report(
            f"helm lint --strict [{name}]",
            not problems,
            "; ".join(str(p["error"]) for p in problems) or (f"info only: {'; '.join(infos)}" if infos else "clean"),
        )
    for name, values, message in MUST_FAIL:
        try:
            render(values)
        except Exception as exc:
            report(f"helm refuses [{name}]", message in str(exc), str(exc).split("): ")[-1][:160])
        else:
            report(f"helm refuses [{name}]", False, "it rendered")


# --- V2: Dockerfile and Compose -------------------------------------------------------------------------
def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return run([BIN / "hadolint", path])


def compose_valid(path: Path) -> subprocess.CompletedProcess[str]:
    return run([BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", path])


def check_image_and_compose() -> None:
    result = hadolint(REPO / "Dockerfile")
    report("hadolint Dockerfile", result.returncode == 0, (result.stdout + result.stderr).strip() or "no findings")
    result = compose_valid(REPO / "deploy" / "compose.yaml")
    report("compose-spec schema: deploy/compose.yaml", result.returncode == 0, (result.stdout + result.stderr).strip())


# --- V1: systemd ------------------------------------------------------------------------------------------
def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file as {section: {key: [values in order]}} (keys may repeat, as systemd allows)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and current is not None:
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
        else:
            raise ValueError(f"{path.name}:{number}: not a section or key=value: {raw!r}")
    return sections


HARDENING = {
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "RestrictSUIDSGID": "yes",
    "RestrictNamespaces": "yes",
    "LockPersonality": "yes",
    "CapabilityBoundingSet": "",
}


def env_file_keys(path: Path) -> dict[str, str]:
    keys: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", key):
                raise ValueError(f"{path.name}: not KEY=value: {line!r}")
            keys[key] = value
    return keys


def known_settings() -> set[str]:
    """Names the service reads: env_*("NAME") in settings.py, plus those read by the processes."""
    settings = (REPO / "aiserver" / "settings.py").read_text()
    names = set(re.findall(r"env_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    return names | {"WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE", "MONGO_URL", "FORWARDED_ALLOW_IPS"}


def unit_problems(path: Path, env: dict[str, str]) -> list[str]:
    """Our policy for a service unit; [] when it holds."""
    unit = parse_unit(path)
    service = unit.get("Service", {})
    problems: list[str] = []

    def one(key: str) -> str | None:
        values = service.get(key)
        return values[-1] if values else None

    for section in ("Unit", "Service", "Install"):
        if section not in unit:
            problems.append(f"no [{section}]")
    if not unit.get("Unit", {}).get("Description"):
        problems.append("no Description")
    if one("Type") != "oneshot" and one("Restart") != "on-failure":
        problems.append(f"Restart={one('Restart')} (want on-failure)")
    if one("User") != "aiserver":
        problems.append("not User=aiserver")
    exec_start = one("ExecStart") or ""
    if not exec_start.startswith(f"{INSTALL_PREFIX}/.venv/bin/"):
        problems.append(f"ExecStart not from {INSTALL_PREFIX}/.venv: {exec_start!r}")
    for key, want in HARDENING.items():
        if one(key) != want:
            problems.append(f"{key}={one(key)} (want {want!r})")
    writable = " ".join(service.get("ReadWritePaths", [])).split()
    if not writable:
        problems.append("no ReadWritePaths")
    for state in " ".join(service.get("StateDirectory", [])).split():
        if f"/var/lib/{state}" not in writable:
            problems.append(f"StateDirectory {state} not in ReadWritePaths")
    if "chroma run" in exec_start:
        port = re.search(r"--port (\d+)", exec_start)
        if not port or env.get("CHROMA_PORT") != port.group(1) or env.get("CHROMA_HOST") != "127.0.0.1":
            problems.append("--host/--port differ from CHROMA_HOST/CHROMA_PORT of aiserver.env.example")
    else:
        if one("EnvironmentFile") != "/etc/aiserver/aiserver.env":
            problems.append("EnvironmentFile is not /etc/aiserver/aiserver.env")
        if env.get("AISERVER_DATA_DIR") not in writable:
            problems.append("AISERVER_DATA_DIR of the env file is not in ReadWritePaths")
    return problems


def systemd_analyze(units: list[Path]) -> tuple[bool, str] | None:
    """`systemd-analyze verify` and `security --offline` on copies pointing at this checkout, or None
    when systemd-analyze is not installed."""
    tool = shutil.which("systemd-analyze")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="aiserver-units-") as tmp:
        copies = []
        for unit in units:
            copy_path = Path(tmp) / unit.name
            copy_path.write_text(unit.read_text().replace(INSTALL_PREFIX, str(REPO)))
            copies.append(copy_path)
        verify = subprocess.run([tool, "verify", "--man=no", *map(str, copies)], capture_output=True, text=True)
        output = (verify.stdout + verify.stderr).strip()
        if verify.returncode != 0 or output:  # unknown keys and bad values are only warnings there
            return False, f"verify: {output or verify.returncode}"
        scores = []
        for copy_path in copies:
            if copy_path.suffix != ".service":
                continue
            security = subprocess.run(
                [tool, "security", "--offline=yes", f"--threshold={MAX_EXPOSURE}", "--no-pager", str(copy_path)],
                capture_output=True,
                text=True,
            )
            level = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
            scores.append(f"{copy_path.stem} {level.group(1) if level else '?'}")
            if security.returncode != 0:
                return False, f"security: {copy_path.name} exposure above {MAX_EXPOSURE / 10}: {scores[-1]}"
        return True, "verify clean; exposure " + ", ".join(scores)


def check_systemd() -> None:
    units = sorted(SYSTEMD.glob("*.service")) + sorted(SYSTEMD.glob("*.target"))
    env_example = SYSTEMD / "aiserver.env.example"
    try:
        env = env_file_keys(env_example)
    except ValueError as exc:
        report("aiserver.env.example", False, str(exc))
        env = {}
    unknown = sorted(set(env) - known_settings())
    report("aiserver.env.example: every key is a setting", not unknown, f"unknown: {unknown}" if unknown else "")
    for name in ("aiserver-web", "aiserver-worker", "aiserver-chroma", "aiserver-migrate"):
        report(f"systemd unit {name}.service exists", (SYSTEMD / f"{name}.service").is_file())
    for unit in units:
        if unit.suffix == ".service":
            problems = unit_problems(unit, env)
            report(f"systemd policy (parser check) {unit.name}", not problems, "; ".join(problems))
    analyzed = systemd_analyze(units)
    if analyzed is None:
        print("SKIP  systemd-analyze is not installed (apt-get install systemd): parser check only", flush=True)
    else:
        report("systemd-analyze verify + security --offline", *analyzed)


# --- controls: each checker refuses a known-bad input --------------------------------------------------------
def check_controls() -> None:
    import kubernetes_validate

    with tempfile.TemporaryDirectory(prefix="aiserver-controls-") as tmp:
        bad_dockerfile = Path(tmp) / "Dockerfile"
        bad_dockerfile.write_text("FROM debian\nRUN apt-get update && apt-get install curl\n")
        refused = hadolint(bad_dockerfile).returncode != 0
        report("control: hadolint refuses an untagged base and an unpinned apt-get", refused)

        bad_compose = Path(tmp) / "compose.yaml"
        bad_compose.write_text("services:\n  web:\n    image: x\n    restart_policy: always\n")
        refused = compose_valid(bad_compose).returncode != 0
        report("control: the compose-spec schema refuses an unknown service key", refused)

        deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                      "spec": {"replicas": "two", "selector": {}, "template": {}}}  # fmt: skip
        try:
            kubernetes_validate.validate(deployment, KUBE_VERSION, strict=True)
            refused = False
        except kubernetes_validate.ValidationError:
            refused = True
        report('control: kubernetes-validate refuses replicas: "two"', refused)

        bad_unit = Path(tmp) / "aiserver-bad.service"
        web = (SYSTEMD / "aiserver-web.service").read_text()
        web = web.replace("Restart=on-failure", "Restart=sometimes").replace("ProtectSystem=strict\n", "")
        bad_unit.write_text(web)
        env = env_file_keys(SYSTEMD / "aiserver.env.example")
        problems = unit_problems(bad_unit, env)
        report("control: the parser check refuses Restart=sometimes and no ProtectSystem", len(problems) == 2)
        analyzed = systemd_analyze([bad_unit])
        if analyzed is not None:
            report("control: systemd-analyze verify refuses Restart=sometimes", not analyzed[0])


def main() -> int:
    started = time.monotonic()
    steps: list[tuple[str, Callable[[], None]]] = [
        ("V1 systemd", check_systemd),
        ("V2 Dockerfile and Compose", check_image_and_compose),
        ("V3 Helm", check_helm),
        ("controls", check_controls),
    ]
    for title, step in steps:
        print(f"--- {title}", flush=True)
        try:
            step()
        except Exception as exc:  # a crashed checker is a failure, never a pass
            report(f"{title} (checker crashed)", False, f"{type(exc).__name__}: {exc}")
    took = time.monotonic() - started
    if failures:
        print(f"\ncheck-deploy: {len(failures)} failed in {took:.1f} s: {', '.join(failures)}", flush=True)
        return 1
    print(f"\ncheck-deploy: all passed in {took:.1f} s (offline: nothing was deployed or run)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
