from . import fr_dunning_portal, fr_dunning_portal_payment
