"""The mixed load of `make load`: people reading their plans, reps checking in.

Run by `manage.py load`, which writes the workload (who logs in, which pages they read, which
rows they may write) as JSON and names it in PAC_LOAD_WORKLOAD. Each simulated user takes the next
persona; personas sharing a rep own separate rows, so no two users edit the same row and every
write is expected to succeed: any error status is a real error.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

with open(os.environ["PAC_LOAD_WORKLOAD"]) as workload:
    WORKLOAD = json.load(workload)
PERSONAS = itertools.cycle(WORKLOAD["personas"])
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


class Person(HttpUser):
    # A brisk user: one to three seconds to read a page before the next click.
    wait_time = between(1, 3)

    def on_start(self):
        self.persona = next(PERSONAS)
        self.rng = random.Random(self.persona["username"] + str(id(self)))
        send = self.client.request

        def behind_the_proxy(*args, **kwargs):
            # gunicorn is reached in plain HTTP, as from the TLS proxy of a deployment: the
            # session and CSRF cookies are Secure, and the proxy hop carries them all the same.
            for cookie in self.client.cookies:
                cookie.secure = False
            return send(*args, **kwargs)

        self.client.request = behind_the_proxy
        # What the proxy of a deployment says: the request came in HTTPS, from this origin.
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": "https://" + self.host.split("//")[1]}
        )
        # Signed in before the run, as people already at work are: the load measures PAC's
        # pages, not the deliberately slow password hash of a sign-in.
        self.client.cookies.set(WORKLOAD["session_cookie"], self.persona["session"])
        self.get(*self.persona["reads"][0])
        self.kpis = itertools.cycle(self.persona["kpis"])
        self.check_in_days = itertools.cycle(self.persona["check_in_days"])
        self.steps = itertools.cycle(self.persona["steps"])
        self.deals = itertools.cycle(self.persona["deals"])
        self.ticks = {}

    def get(self, label, url, **kwargs):
        """A page read. "My PACI" redirects to the PACI of the day; a page that is not the one
        asked for (the sign-in page after a lost session...) is an error."""
        with self.client.get(url, name=f"read: {label}", catch_response=True, **kwargs) as response:
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{response.status_code} {response.url} instead of the page")
            return response

    def htmx_post(self, url, data, name):
        with self.client.post(
            url,
            data,
            headers={"HX-Request": "true", "X-CSRFToken": self.client.cookies.get("csrftoken")},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} instead of the saved region")

    @task(85)
    def read(self):
        self.get(*self.rng.choice(self.persona["reads"]))

    @task(7)
    def check_in(self):
        """A KPI value on a day of the period that has none yet (one value per KPI and day)."""
        if not self.persona["kpis"]:
            return self.read()
        kpi = next(self.kpis)
        day = next(self.check_in_days)
        self.htmx_post(
            self.persona["paci"] + f"kpis/{kpi}/values/new/",
            {"recorded_on": day, "value": str(self.rng.randint(1, 40)), "comment": "load"},
            "write: KPI check-in",
        )

    @task(4)
    def tick_step(self):
        if not self.persona["steps"]:
            return self.read()
        step = next(self.steps)
        done = not self.ticks.get(step, False)
        self.ticks[step] = done
        self.htmx_post(
            self.persona["paci"] + f"steps/{step}/done/",
            {"done": "1" if done else "0"},
            "write: step tick",
        )

    @task(4)
    def edit_deal(self):
        """Open a deal's form in place, then move its probability."""
        if not self.persona["deals"]:
            return self.read()
        deal = next(self.deals)
        url = self.persona["paci"] + f"deals/{deal['pk']}/edit/"
        form = self.get("deal form", url, headers={"HX-Request": "true"})
        version = VERSION_INPUT.search(form.text)
        if version is None:
            return
        self.htmx_post(
            url,
            {
                **deal["fields"],
                "probability": str(self.rng.randint(10, 90)),
                "version": version.group(1),
            },
            "write: deal edit",
        )
