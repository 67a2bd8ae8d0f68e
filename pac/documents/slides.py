"""The synthesis of the PAC as an editable PowerPoint (python-pptx), for the review meeting."""


def plan_slides(plan, reader, today):
    """The .pptx bytes of the plan's synthesis (written by the PowerPoint work)."""
    raise NotImplementedError
