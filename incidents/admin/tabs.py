"""The incident page's tabs: each tab its own page (?tab=...), the add page one form."""

from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from django.http import HttpResponseRedirect, QueryDict


class TabbedChangePageMixin:
    """One tab per request for a model admin with TABS and fieldsets / inlines classed
    "tab-<key>"; all_fieldsets() gives every tab's fieldsets."""

    TABS: ClassVar[list[tuple[str, Any]]]  # (key, label), in the order shown

    # One tab per request: an incident's page shows, and saves, only the tab in its address
    # (?tab=facts); the add page is one form with every tab (tabs.js switches them). So the
    # page renders one tab's rows, not every inline of the case, and a save from one tab
    # leaves the fields and rows of the others as they are (they are not in its form).

    def current_tab(self, request, obj=None) -> str | None:
        """The tab a change page shows and saves; None on the add page (every tab)."""
        if obj is None or obj.pk is None:
            return None
        wanted = request.GET.get("tab")
        return wanted if wanted in dict(self.TABS) else self.TABS[0][0]

    @staticmethod
    def tab_of(classes) -> str | None:
        """The tab named by a fieldset's or inline's "tab-..." class; None: on every tab."""
        return next((c.removeprefix("tab-") for c in classes or () if c.startswith("tab-")), None)

    def get_fieldsets(self, request, obj=None):
        fieldsets = self.all_fieldsets(request, obj)
        tab = self.current_tab(request, obj)
        if tab is None:
            return fieldsets
        return [
            (name, options)
            for name, options in fieldsets
            if self.tab_of(options.get("classes")) in (None, tab)
        ]

    def get_inline_instances(self, request, obj=None):
        inlines = self.declared_inlines(request, obj)
        tab = self.current_tab(request, obj)
        if tab is None:
            return inlines
        return [inline for inline in inlines if self.tab_of(inline.classes) == tab]

    def tabs_with_content(self, request, obj) -> list:
        """The tabs that have something for this user on this incident (fieldsets, inlines)."""
        named = {
            self.tab_of(options.get("classes")) for _, options in self.all_fieldsets(request, obj)
        }
        named |= {self.tab_of(i.classes) for i in self.declared_inlines(request, obj)}
        return [(key, label) for key, label in self.TABS if key in named]

    def declared_fieldsets(self, request, obj=None):
        """The class's fieldsets, every tab's (as the admins after this mixin give them)."""
        return super().get_fieldsets(request, obj)

    def declared_inlines(self, request, obj=None):
        """The inlines this user may use on this object, every tab's."""
        return super().get_inline_instances(request, obj)

    def all_fieldsets(self, request, obj=None):
        """Every tab's fieldsets for this object; admins override it to choose among them."""
        return self.declared_fieldsets(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The tabs, and the whole width for the case: no navigation sidebar on this page.
        tab = self.current_tab(request, obj)
        if tab is None:  # the add page: every tab in one form, switched in the browser
            tabs = [(key, label, f"#tab-{key}") for key, label in self.TABS]
        else:
            tabs = []
            for key, label in self.tabs_with_content(request, obj):
                query = request.GET.copy()
                query["tab"] = key
                tabs.append((key, label, f"?{query.urlencode()}"))
        context.update(taisaku_tabs=tabs, taisaku_tab=tab, is_nav_sidebar_enabled=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        """After "save and continue", the new incident opens on the tab being filled in."""
        response = super().response_add(request, obj, post_url_continue)
        return self._on_tab(request, response, request.POST.get("_tab"))

    def response_change(self, request, obj):
        """After "save and continue", the page stays on the tab that was saved."""
        response = super().response_change(request, obj)
        return self._on_tab(request, response, self.current_tab(request, obj))

    def _on_tab(self, request, response, tab):
        if "_continue" not in request.POST or tab not in dict(self.TABS):
            return response
        if not isinstance(response, HttpResponseRedirect):
            return response
        location = urlsplit(response["Location"])
        query = QueryDict(location.query, mutable=True)
        query["tab"] = tab
        response["Location"] = urlunsplit(location._replace(query=query.urlencode()))
        return response
