# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the history can be believed on: the language it is written in, and
the letters that can really be posted.

The dunning history is evidence, kept as written: an event's name and note
are stored text, not labels translated when read. So they are written once,
in the company's language (a French company's file reads in French whoever
typed it), from the translated terms of that language.
"""

from markupsafe import Markup

from odoo.exceptions import UserError

from .fr_dunning_formats import LangFormats

# The address fields a letter needs in the window of its envelope.
POSTAL_FIELDS = ("street", "zip", "city")


def history_lang(env, company):
    """The language of ``company``'s history: its partner's language when it
    is installed, else the user's."""
    installed = {code for code, _name in env["res.lang"].get_installed()}
    lang = company.partner_id.lang
    return lang if lang in installed else (env.lang or env.user.lang or "en_US")


def history_env(env, company):
    """``env`` in the language of ``company``'s history."""
    return env(context=dict(env.context, lang=history_lang(env, company)))


def reader_lang(env, user, company):
    """The language a to-do or a note for ``user`` is written in: the user's
    when it is installed, else ``company``'s history language. The nightly
    jobs run as the superuser, without a language: never theirs."""
    installed = {code for code, _name in env["res.lang"].get_installed()}
    lang = user.lang if user else False
    return lang if lang in installed else history_lang(env, company)


def reader_env(env, user, company):
    """``env`` in the language of ``user``, who reads what is written (see
    ``reader_lang``)."""
    return env(context=dict(env.context, lang=reader_lang(env, user, company)))


def reader_writers(env):
    """A function (user, company) -> (env, LangFormats) in the language of
    ``user`` (see ``reader_lang``), made once per language."""
    made = {}

    def writer(user, company):
        lang = reader_lang(env, user, company)
        if lang not in made:
            lang_env = env(context=dict(env.context, lang=lang))
            made[lang] = (lang_env, LangFormats(lang_env))
        return made[lang]

    return writer


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


def missing_postal_fields(partner):
    """The labels of the address fields ``partner`` lacks for a letter."""
    fields = partner._fields
    return [
        fields[name].get_description(partner.env)["string"] for name in POSTAL_FIELDS if not partner[name]
    ]


def hold_unaddressed_letters(escalation, plans, today, channels_of, automatic):
    """The ``plans`` that can be sent: a communication with a letter to a
    customer without a postal address is held whole (an email saying "our
    letter attached" without the letter, or a formal notice dated but never
    posted, would be worse than waiting), and its customer's responsible gets
    a to-do to complete the address; one to-do per customer, not one a night.
    In a run an accountant starts, it is refused with the customers named.

    ``channels_of``: plan -> its channels (the escalation's ``_channels``)."""
    held = [
        plan
        for plan in plans
        if {"letter", "registered"} & set(channels_of(plan)) and missing_postal_fields(plan.partner)
    ]
    if not held:
        return plans
    if not automatic:
        raise UserError(
            escalation.env._(
                "No letter can be posted to %(customers)s: complete their postal address (street, zip "
                "and city) first, or leave them out.",
                customers=", ".join(sorted({plan.partner.name for plan in held})),
            )
        )
    env = escalation.env
    writer = reader_writers(env)
    todo = env.ref("mail.mail_activity_data_todo")
    summaries, readers = {}, {}
    for plan in held:
        company = plan.moves.company_id[:1]
        user = escalation._responsible(plan.partner, company)
        # In the language of the one who reads it.
        lang_env = writer(user, company)[0]
        readers[id(plan)] = (user, lang_env)
        summaries[id(plan)] = lang_env._(
            "Complete the postal address of %(customer)s", customer=plan.partner.name
        )
    # Found again by its summary (the same every night while the same person
    # follows the customer).
    already = {
        (activity.res_id, activity.summary)
        for activity in env["mail.activity"]
        .sudo()
        .search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", [plan.partner.id for plan in held]),
                ("activity_type_id", "=", todo.id),
                ("summary", "in", list(summaries.values())),
            ]
        )
    }
    vals_list = []
    for plan in held:
        partner, summary = plan.partner, summaries[id(plan)]
        if (partner.id, summary) in already:
            continue
        already.add((partner.id, summary))
        user, lang_env = readers[id(plan)]
        vals_list.append(
            {
                "res_model_id": env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": todo.id,
                "date_deadline": today,
                "summary": summary,
                "note": Markup("<p>%s</p>")
                % lang_env._(
                    "%(level)s cannot be sent to %(customer)s: its letter needs a postal address, and "
                    "%(missing)s are missing. Complete the address: the letter goes at the next run.",
                    level=plan.level.with_env(lang_env).name,
                    customer=partner.name,
                    missing=", ".join(missing_postal_fields(partner.with_env(lang_env))),
                ),
                "user_id": user.id,
            }
        )
    # The to-do lands on the customer, which a dunning user may not edit.
    env["mail.activity"].sudo().create(vals_list)
    held_ids = {id(plan) for plan in held}
    return [plan for plan in plans if id(plan) not in held_ids]
