"""Buttons for Beanstalk pages (filled in by the actions work; the pages only place them).

- `{% environment_actions environment %}`: deploy, clone, terminate... for one Environment row, by the user's role.
- `{% swap_button environment production %}`: the "Swap URLs" button that moves the production URL from
  `production` (an Environment, or None) to `environment`; empty when not applicable.
"""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def environment_actions(context: Any, environment: Any) -> SafeString:
    return mark_safe("")


@register.simple_tag(takes_context=True)
def swap_button(context: Any, environment: Any, production: Any) -> SafeString:
    return mark_safe("")
