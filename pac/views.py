from django.http import HttpResponse


def home(request):
    return HttpResponse()


plan_list = plan_detail = healthz = my_paci = home
