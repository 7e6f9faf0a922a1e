# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the history can be believed on: the language it is written in.

The dunning history is evidence, kept as written: an event's name and note
are stored text, not labels translated when read. So they are written once,
in the company's language (a French company's file reads in French whoever
typed it), from the translated terms of that language.
"""

from .fr_dunning_formats import LangFormats


def history_lang(env, company):
    """The language of ``company``'s history: its partner's language when it
    is installed, else the user's."""
    installed = {code for code, _name in env["res.lang"].get_installed()}
    lang = company.partner_id.lang
    return lang if lang in installed else (env.lang or env.user.lang or "en_US")


def history_env(env, company):
    """``env`` in the language of ``company``'s history."""
    return env(context=dict(env.context, lang=history_lang(env, company)))


def history_writers(env):
    """A function company -> (env, LangFormats) in the company's history
    language, made once per company."""
    made = {}

    def writer(company):
        if company.id not in made:
            lang_env = history_env(env, company)
            made[company.id] = (lang_env, LangFormats(lang_env))
        return made[company.id]

    return writer
