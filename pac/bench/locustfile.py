"""The mixed load of `make load`: people reading their plans, reps checking in.

Run by `manage.py load`, which writes the workload (who logs in, which pages they read, which
rows they may write) as JSON and names it in PAC_LOAD_WORKLOAD. Personas sharing a rep own
separate rows, and each check-in goes to a KPI and day that has no value yet, so no two users
edit the same row and every write is expected to succeed: any error status is a real error.

Two kinds of users, the command naming the one it runs:
- `Person`, the open-loop load: one persona, one to three seconds between clicks;
- `Visitor`, the closed-loop capacity steps: no pause at all, each request drawn from the whole
  mix (a manager's, an outsider's or a rep's), so the share of writes stays that of the open-loop
  load whatever the number of users and however slow each page is.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, constant, task
from locust.clients import HttpSession

with open(os.environ["PAC_LOAD_WORKLOAD"]) as workload:
    WORKLOAD = json.load(workload)
PERSONAS = itertools.cycle(WORKLOAD["personas"])
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


class Browser:
    """One signed-in person's browser: its cookies, its persona and what it clicks."""

    def __init__(self, client, persona, host):
        self.client = client
        self.persona = persona
        self.rng = random.Random(persona["username"] + str(id(self)))
        send = client.request

        def behind_the_proxy(*args, **kwargs):
            # gunicorn is reached in plain HTTP, as from the TLS proxy of a deployment: the
            # session and CSRF cookies are Secure, and the proxy hop carries them all the same.
            for cookie in client.cookies:
                cookie.secure = False
            return send(*args, **kwargs)

        client.request = behind_the_proxy
        # What the proxy of a deployment says: the request came in HTTPS, from this origin.
        client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": "https://" + host.split("//")[1]}
        )
        # Signed in before the run, as people already at work are: the load measures PAC's
        # pages, not the deliberately slow password hash of a sign-in.
        client.cookies.set(WORKLOAD["session_cookie"], persona["session"])
        self.get(*persona["reads"][0])
        self.check_ins = iter(persona["check_ins"])
        self.steps = itertools.cycle(persona["steps"])
        self.deals = itertools.cycle(persona["deals"])
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

    def read(self):
        self.get(*self.rng.choice(self.persona["reads"]))

    def check_in(self):
        """A KPI value on a day of the period that had none when the run began."""
        if not self.persona["check_ins"]:
            return self.read()
        kpi, day = next(self.check_ins, (None, None))
        if kpi is None:
            # The command gives each persona more free days than a run can use; running out is
            # a mistake of the workload, said as such rather than as a refused duplicate.
            raise RuntimeError(f"{self.persona['username']} has no KPI and day left to check in")
        self.htmx_post(
            self.persona["paci"] + f"kpis/{kpi}/values/new/",
            {"recorded_on": day, "value": str(self.rng.randint(1, 40)), "comment": "load"},
            "write: KPI check-in",
        )

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


class Person(HttpUser):
    """The open-loop load: one persona, pausing between clicks."""

    # A brisk user: one to three seconds to read a page before the next click.
    wait_time = between(1, 3)

    def on_start(self):
        self.browser = Browser(self.client, next(PERSONAS), self.host)

    @task(85)
    def read(self):
        self.browser.read()

    @task(7)
    def check_in(self):
        self.browser.check_in()

    @task(4)
    def tick_step(self):
        self.browser.tick_step()

    @task(4)
    def edit_deal(self):
        self.browser.edit_deal()


class Visitor(HttpUser):
    """The closed-loop load: the next request as soon as the previous one answered.

    Its weights follow the open-loop load's users: one in ten a manager, one an outsider, eight
    reps, whose 7 check-ins, 4 step ticks and 4 deal edits are scaled so that writes are 10 % of
    the requests as locust counts them (a deal edit is two: its form, then the save): 52 writes
    and 14 forms in 514 requests.
    """

    wait_time = constant(0)

    def on_start(self):
        self.rep = Browser(self.client, next(PERSONAS), self.host)
        self.manager = Browser(self.browser_of_its_own(), WORKLOAD["manager"], self.host)
        self.outsider = Browser(
            self.browser_of_its_own(),
            WORKLOAD["outsiders"][self.rep.rng.randrange(len(WORKLOAD["outsiders"]))],
            self.host,
        )

    def browser_of_its_own(self):
        """A second client whose requests count in the same statistics."""
        return HttpSession(self.host, self.environment.events.request, self)

    @task(50)
    def manager_read(self):
        self.manager.read()

    @task(50)
    def outsider_read(self):
        self.outsider.read()

    @task(348)
    def read(self):
        self.rep.read()

    @task(24)
    def check_in(self):
        self.rep.check_in()

    @task(14)
    def tick_step(self):
        self.rep.tick_step()

    @task(14)
    def edit_deal(self):
        self.rep.edit_deal()
