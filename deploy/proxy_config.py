"""nginx's configuration for `make cluster` and tests/test_proxy.py, from the compose template."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from deploy.processes import ClusterError

NGINX_TEMPLATE = Path(__file__).resolve().parent / "nginx" / "templates" / "countonme.conf.template"


def tool(name: str) -> str:
    """The path of a Debian program (nginx and pgbouncer live in /usr/sbin)."""
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if not found:
        raise ClusterError(f"{name} is not installed: apt-get install {name}")
    return found


def render(template: str, **variables: str) -> str:
    """What the official nginx image's envsubst step does: only the variables it is given."""
    for name, value in variables.items():
        template = re.sub(rf"\$(?:{name}\b|\{{{name}\}})", value, template)
    return template


def write_nginx_config(directory: Path, *, listen: str, upstreams: list[str]) -> Path:
    """The compose server block behind an upstream of ``upstreams``, in nginx's frame.

    The server block is ``deploy/nginx/templates/countonme.conf.template``, as the
    compose proxy serves it; the upstream is the static list of replicas (compose
    resolves its replicas by name instead: ``upstream.conf.template``). Returns
    the path of ``nginx.conf``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    servers = "".join(
        f"    server {address} max_fails=1 fail_timeout=5s;\n" for address in upstreams
    )
    (directory / "upstream.conf").write_text(
        f"upstream countonme_app {{\n{servers}    keepalive 16;\n}}\n"
    )
    (directory / "countonme.conf").write_text(
        render(NGINX_TEMPLATE.read_text(), NGINX_LISTEN=listen)
    )
    config = directory / "nginx.conf"
    config.write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        worker_processes auto;
        pid {directory}/nginx.pid;
        error_log {directory}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {directory}/client_body;
            proxy_temp_path {directory}/proxy;
            fastcgi_temp_path {directory}/fastcgi;
            uwsgi_temp_path {directory}/uwsgi;
            scgi_temp_path {directory}/scgi;
            include {directory}/upstream.conf;
            include {directory}/countonme.conf;
        }}
        """
    )
    return config


def nginx_command(config: Path) -> list[str]:
    return [tool("nginx"), "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"]
