"""``make demo`` / ``python -m demo``: record the article's three scenarios into a demo
organization of a running Qorrelate, so the dashboard has real sessions to open.

    python -m demo --url http://127.0.0.1:8000
"""

import argparse
import os
import sys
import time
import urllib.error
import urllib.request


def _reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=3) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_for_sessions(organization, recorded, timeout: float = 30.0) -> None:
    from apps.replay.models import Session

    ids = [r.session_id for r in recorded]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = Session.objects.filter(organization=organization, session_id__in=ids).count()
        if found == len(ids):
            return
        time.sleep(0.5)
    print("  ! not every session reached Qorrelate in time; check its logs", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("QORRELATE_URL", "http://127.0.0.1:8000"))
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    if not _reachable(url):
        print(f"Qorrelate is not answering at {url}. Start it first (`make run`), or pass --url.")
        return 1

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorrelate.settings")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from .scenarios import CHROMIUM, CHROMIUM_ARGS, record_all
    from .setup_org import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_organization
    from .shop.app import serve

    demo = ensure_demo_organization()
    organization = demo.organization
    print(f"==> Demo organization “{organization.name}” (data-org-id {organization.public_id})")
    shop = serve(qorrelate_url=url, org_id=organization.public_id, ingest_key=demo.ingest_key)
    print(f"==> Acme Coffee's checkout is up at {shop.url}/checkout")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                recorded = record_all(browser, shop.url)
            finally:
                browser.close()
        shop.flush()
    finally:
        shop.close()
    _wait_for_sessions(organization, recorded)
    print("==> Recorded:")
    for item in recorded:
        print(f"    {item.name:<22} {url}/o/{organization.slug}/sessions/{item.session_id}/")
    print(f"==> Log in at {url}/accounts/login/ as {DEMO_EMAIL} / {DEMO_PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
